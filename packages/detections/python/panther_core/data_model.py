"""A data model: names (`actor_user`, `source_ip`) resolved per log type to a key,
a JSONPath, or a function of the data model's module."""

from panther_core.jsonpath import JsonPathError, compile_path


class DataModelError(Exception):
    pass


class DataModel:
    def __init__(self, data_model_id, mappings, module=None):
        """mappings: iterable of dicts with `name` and either `path` or `method`."""
        self.data_model_id = data_model_id
        self.module = module
        self._paths = {}
        self._methods = {}
        for mapping in mappings:
            name = mapping["name"]
            if mapping.get("method"):
                self._methods[name] = mapping["method"]
            else:
                path = mapping["path"]
                if path.startswith("$"):
                    compile_path(path)  # fail at load time, not on the first event
                self._paths[name] = path

    def resolve(self, event, name):
        """The value behind `name` for this event, or None when the name is unknown."""
        method = self._methods.get(name)
        if method is not None:
            func = getattr(self.module, method, None) if self.module is not None else None
            if not callable(func):
                raise DataModelError(
                    f"data model {self.data_model_id!r}: method {method!r} for {name!r} is not defined"
                )
            return func(event)
        path = self._paths.get(name)
        if path is None:
            return None
        if not path.startswith("$"):
            if path in event or not any(c in path for c in ".["):
                return event.get(path)
            path = "$." + path
        matches = compile_path(path).find(event.raw_data())
        if not matches:
            return None
        if len(matches) > 1:
            raise DataModelError(
                f"data model {self.data_model_id!r}: path {path!r} for {name!r} matched {len(matches)} values"
            )
        return matches[0]


__all__ = ["DataModel", "DataModelError", "JsonPathError"]
