"""The event object a detection receives."""

from panther_core.data_model import DataModel, DataModelError
from panther_core.immutable import ImmutableCaseInsensitiveDict, freeze
from panther_core.traversal import deep_get, deep_walk


class PantherEvent(ImmutableCaseInsensitiveDict):
    __slots__ = ("_data_model",)

    def __init__(self, event=None, data_model=None):
        super().__init__(event)
        if data_model is not None and not isinstance(data_model, DataModel):
            raise TypeError("data_model must be a DataModel")
        object.__setattr__(self, "_data_model", data_model)

    def raw_data(self):
        """The decoded JSON behind the view; for the harness, not for detections."""
        return self._data

    def deep_get(self, *keys, default=None):
        return deep_get(self, *keys, default=default)

    def deep_walk(self, *keys, default=None, return_val="all"):
        return deep_walk(self, *keys, default=default, return_val=return_val)

    def udm(self, name, *keys, default=None):
        """The value behind the data model name `name` (then `keys`, as deep_get)."""
        if self._data_model is None:
            raise DataModelError(f"no data model for log type {self.get('p_log_type')!r}")
        value = freeze(self._data_model.resolve(self, name))
        if keys:
            return deep_get(value, *keys, default=default)
        return default if value is None else value


__all__ = ["PantherEvent"]
