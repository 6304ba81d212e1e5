"""A data model: names (`actor_user`, `source_ip`) resolved per log type to a
JSONPath into the event or to a function of the data model's module."""

from panther_core.immutable import ImmutableCaseInsensitiveDict
from panther_core.jsonpath import JsonPathError, compile_path

# The message Panther raises with when udm_path is asked of an event whose log
# type has no data model (the log type follows as the second argument).
E_NO_DATA_MODEL_FOUND = "a data model hasn't been specified for log type"


class DataModelError(Exception):
    pass


class Resolution:
    """What a mapped name gave for one event: `found` is False when its path
    matched nothing; `path` is the matched path, or the method's name."""

    __slots__ = ("found", "value", "path")

    def __init__(self, found, value=None, path=None):
        self.found = found
        self.value = value
        self.path = path


_NOT_FOUND = Resolution(False)


class DataModel:
    def __init__(self, data_model_id, mappings, module=None):
        """mappings: iterable of dicts with `name` and either `path` or `method`
        (the path wins when both are set)."""
        self.data_model_id = data_model_id
        self.module = module
        self.paths = {}
        self.methods = {}
        self._method_names = {}
        for mapping in mappings:
            name = mapping["name"]
            if mapping.get("path"):
                # Compiled now: a bad path fails the load, not the first event.
                self.paths[name] = compile_path(mapping["path"])
            elif mapping.get("method"):
                method = mapping["method"]
                self._method_names[name] = method
                func = getattr(module, method, None) if module is not None else None
                if callable(func):
                    self.methods[name] = func
            else:
                raise DataModelError(f"data model {data_model_id!r}: mapping {name!r} has neither a path nor a method")

    def is_mapped(self, name):
        return name in self.paths or name in self._method_names

    def resolve(self, event, name):
        """None when `name` is not mapped; else its Resolution for `event`.

        A path matching several values is an error, as in Panther. A method
        gets a plain immutable view of the event (not the PantherEvent), as in
        Panther, so it cannot call udm() recursively."""
        path = self.paths.get(name)
        if path is not None:
            matches = path.find(event.raw_view())
            if not matches:
                return _NOT_FOUND
            if len(matches) > 1:
                # Panther raises a bare Exception with this text.
                raise Exception(  # pylint: disable=broad-exception-raised
                    f"JSONPath [{path}] in DataModel [{self.data_model_id}], matched multiple fields."
                )
            return Resolution(True, matches[0].value, matches[0].path_text)
        method = self._method_names.get(name)
        if method is None:
            return None
        func = self.methods.get(name)
        if func is None:
            raise DataModelError(f"data model {self.data_model_id!r}: method {method!r} for {name!r} is not defined")
        view = ImmutableCaseInsensitiveDict(event.raw_view())
        return Resolution(True, func(view), getattr(func, "__name__", repr(func)))


__all__ = ["DataModel", "DataModelError", "E_NO_DATA_MODEL_FOUND", "JsonPathError", "Resolution"]
