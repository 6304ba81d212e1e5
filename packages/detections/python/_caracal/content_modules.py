"""Turns content sources into Python modules: globals importable by GlobalID,
one module per rule and per data model."""

import importlib.abc
import importlib.util
import linecache
import re
import sys
import types


def _remember_source(filename, source):
    # Lets tracebacks show the customer's lines although no file exists on disk.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def exec_source(module, source, filename):
    _remember_source(filename, source)
    code = compile(source, filename, "exec", dont_inherit=True)
    exec(code, module.__dict__)


class _SourceLoader(importlib.abc.Loader):
    def __init__(self, source, filename, is_package):
        self.source = source
        self.filename = filename
        self.is_package = is_package

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__file__ = self.filename
        exec_source(module, self.source, self.filename)

    def get_source(self, fullname):
        return self.source


class GlobalModuleFinder(importlib.abc.MetaPathFinder):
    """Serves every `global` of the content by its GlobalID. Dotted ids get
    their parents as empty namespace-like packages."""

    def __init__(self):
        self._sources = {}
        self._packages = set()

    def add(self, global_id, source, filename):
        self._sources[global_id] = (source, filename)
        parts = global_id.split(".")
        for i in range(1, len(parts)):
            self._packages.add(".".join(parts[:i]))

    def find_spec(self, fullname, path=None, target=None):
        entry = self._sources.get(fullname)
        is_package = fullname in self._packages
        if entry is None and not is_package:
            return None
        source, filename = entry if entry is not None else ("", f"<global package {fullname}>")
        loader = _SourceLoader(source, filename, is_package)
        spec = importlib.util.spec_from_loader(fullname, loader, origin=filename, is_package=is_package)
        if entry is not None:
            spec.has_location = True
        return spec


_finder = None


def install_globals(globals_):
    """globals_: [{id, source, filename}]. Stdlib and our own modules win over a
    global of the same name, so the finder goes last."""
    global _finder
    if _finder is None:
        _finder = GlobalModuleFinder()
        sys.meta_path.append(_finder)
    for item in globals_:
        _finder.add(item["id"], item["source"], item["filename"])


def safe_module_name(prefix, identifier):
    base = prefix + re.sub(r"\W", "_", identifier)
    name = base
    n = 1
    while name in sys.modules:
        n += 1
        name = f"{base}_{n}"
    return name


def load_module(prefix, identifier, source, filename):
    """A fresh module from `source`, registered in sys.modules (dataclasses and
    pickle look modules up there). Raises what the module body raises."""
    name = safe_module_name(prefix, identifier)
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    try:
        exec_source(module, source, filename)
    except BaseException:
        del sys.modules[name]
        raise
    return module
