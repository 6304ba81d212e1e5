"""Takes the host away from customer code before any of it runs.

Pyodide is not a security boundary (isolation comes from the worker process and
the network), but a detection must not reach the JavaScript host by simply
importing it: `js` and `pyodide_js` are the host, and `pyodide.ffi` /
`pyodide.code` evaluate JavaScript."""

import importlib.abc
import os
import sys

BLOCKED_ROOTS = frozenset({"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core"})

# Fixed values only: nothing of the host's environment (secrets, paths) leaks in.
SAFE_ENV = {
    "HOME": "/home/pyodide",
    "LANG": "C.UTF-8",
    "PATH": "/",
    "USER": "detection",
}


class HostModuleBlocker(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in BLOCKED_ROOTS:
            raise ModuleNotFoundError(f"No module named '{fullname}' (not available to detections)", name=fullname)
        return None


def _is_js_finder(finder):
    return type(finder).__module__.startswith("_pyodide") and "Js" in type(finder).__name__


def lock_down():
    for name in list(sys.modules):
        if name.partition(".")[0] in BLOCKED_ROOTS:
            del sys.modules[name]
    # Without Pyodide's own finder, `js` stays unimportable even if a detection
    # removes our blocker from sys.meta_path.
    sys.meta_path[:] = [f for f in sys.meta_path if not _is_js_finder(f)]
    sys.meta_path.insert(0, HostModuleBlocker())
    os.environ.clear()
    os.environ.update(SAFE_ENV)
