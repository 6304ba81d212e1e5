import errno
import os

import six


def _attempt(action):
    try:
        action()
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    return "allowed"


def rule(event):
    return event.get("probe") == "site-packages"


def alert_context(event):
    # The shared packages folder, as a detection sees it: readable, never writable.
    folder = os.path.dirname(six.__file__)
    module = os.path.join(folder, "six.py")

    def create():
        with open(os.path.join(folder, "caracal-probe.txt"), "w") as handle:
            handle.write("written by a detection")

    def append():
        with open(module, "a") as handle:
            handle.write("# appended by a detection\n")

    with open(module, encoding="utf-8") as handle:
        readable = "def add_metaclass" in handle.read()
    return {
        "folder": folder,
        "readable": readable,
        # On the host, the folder's parent holds the detections package.json:
        # ".." must stay in the interpreter's own file system.
        "host_parent_visible": os.path.exists(os.path.join(folder, "..", "package.json")),
        "create": _attempt(create),
        "append": _attempt(append),
        "chmod": _attempt(lambda: os.chmod(module, 0o666)),
        "remove": _attempt(lambda: os.remove(module)),
        "rename": _attempt(lambda: os.rename(module, module + ".moved")),
        "mkdir": _attempt(lambda: os.mkdir(os.path.join(folder, "caracal-probe"))),
    }
