import importlib
import os
import sys

PROBED = ("js", "pyodide_js", "pyodide", "pyodide.ffi", "pyodide.code", "_pyodide_core")


def _importable(name):
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False


def rule(event):
    return event.get("action") == "probe"


def alert_context(event):
    imports = {name: _importable(name) for name in PROBED}
    # Even with Caracal's blocker taken out of the import system, nothing
    # should be left that serves the JavaScript host as a module.
    blockers = [f for f in sys.meta_path if type(f).__name__ == "HostModuleBlocker"]
    for blocker in blockers:
        sys.meta_path.remove(blocker)
    try:
        unblocked = {name: _importable(name) for name in ("js", "pyodide_js")}
    finally:
        sys.meta_path[:0] = blockers
    return {"imports": imports, "unblocked": unblocked, "env": dict(os.environ)}
