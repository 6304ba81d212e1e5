import gc
import os


def _js_proxies():
    """(proxies found, those whose attribute walk reaches `Function`): such a
    proxy would let a detection run host code."""
    found = 0
    reachable = []
    for obj in gc.get_objects():
        if not any(t.__name__.startswith("Js") for t in type(obj).__mro__):
            continue
        found += 1
        try:
            if getattr(obj, "constructor", None) is not None:
                reachable.append(type(obj).__name__)
        except BaseException:
            pass
    return found, reachable


def _socket_result(port):
    import socket

    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=2)
        conn.sendall(b"detection was here")
        conn.recv(1)
        return "connected"
    except BaseException as exc:
        return f"{type(exc).__name__}: {exc}"


def _file_result(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(20)
    except BaseException as exc:
        return type(exc).__name__


def rule(event):
    return event.get("mode") == "probe"


def alert_context(event):
    return {
        "js_proxies": _js_proxies(),
        "socket": _socket_result(int(event.get("port"))),
        "file": _file_result(event.get("path")),
        "root": sorted(os.listdir("/")),
        "env": dict(os.environ),
    }
