"""The event object a detection receives."""

from panther_core.data_model import E_NO_DATA_MODEL_FOUND
from panther_core.exceptions import PantherError
from panther_core.immutable import ImmutableCaseInsensitiveDict, freeze, json_encoder
from panther_core.traversal import walk_event


class PantherEvent(ImmutableCaseInsensitiveDict):
    __slots__ = ("_data_model", "_lookup_function")

    def __init__(self, event=None, data_model=None):
        super().__init__(event)
        object.__setattr__(self, "_data_model", data_model)
        object.__setattr__(self, "_lookup_function", None)

    @property
    def data_model(self):
        return self._data_model

    @property
    def lookup_function(self):
        return self._lookup_function

    def raw_data(self):
        """The decoded JSON behind the view; for the harness, not for detections."""
        return self._data

    def _add_lookup_function(self, lookup_function):
        """Where lookup() goes instead of the mocked tables: fn(event, table, key)."""
        object.__setattr__(self, "_lookup_function", lookup_function)

    def lookup(self, lookup_name, lookup_key):
        """The row `lookup_key` of the lookup table `lookup_name`, or None. With no
        lookup function installed (there are no lookup tables here), tests can
        mock tables in the event under `_mocked_lookup_data_: {table: {key: row}}`."""
        if self._lookup_function:
            return self._lookup_function(self, lookup_name, lookup_key)
        return self.deep_get("_mocked_lookup_data_", lookup_name, lookup_key)

    def deep_walk(self, *keys, default=None, return_val="all"):
        return walk_event(self._data, *keys, default=default, return_val=return_val)

    def udm(self, *key, default=None):
        """A single name mapped by the event's data model gives what the mapping
        finds (None when it finds null; `default` when its path finds nothing).
        Otherwise (no data model, a name it does not map, or several keys) the
        keys are looked up under `p_udm`, then in the event itself; a falsy value
        counts as not found there, and then `default` is the answer."""
        model = self._data_model
        if len(key) == 1 and model:
            resolution = model.resolve(self, key[0])
            if resolution is not None:
                return freeze(resolution.value) if resolution.found else default
        if not key:
            return default
        result = self.deep_get("p_udm", *key)
        if not result:
            result = self.deep_get(*key)
        return result if result else default

    def udm_path(self, key):
        """The path the data model matched for `key` on this event (as `a.b.[0]`),
        the method's name for a method mapping, or None; raises PantherError when
        the event's log type has no data model."""
        model = self._data_model
        if not model:
            raise PantherError(E_NO_DATA_MODEL_FOUND, self.get("p_log_type"))
        resolution = model.resolve(self, key)
        if resolution is None or not resolution.found:
            return None
        return resolution.path

    def event_time_epoch(self, force_utc=True):
        """p_event_time in epoch seconds (0 when it is missing or unreadable);
        force_utc reads a time without a zone as UTC."""
        # Imported here: most detections never call this, and dateutil is slow to load.
        from dateutil import parser as date_parser

        event_time = self.get("p_event_time") or ""
        if force_utc:
            event_time += " UTC"
        try:
            return int(date_parser.parse(event_time).timestamp())
        except date_parser.ParserError:
            return 0

    json_encoder = json_encoder


__all__ = ["PantherEvent"]
