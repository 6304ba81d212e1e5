"""Read-only views over decoded JSON, so a detection can never change the event
another detection (or the alert pipeline) sees afterwards."""

from collections.abc import Mapping, Sequence


_SCALARS = frozenset({str, int, float, bool, type(None)})


def freeze(value):
    """Wraps plain dicts and lists in their immutable views; anything else
    (scalars, tuples, other mapping types) passes through as it is, which is
    what detections written for Panther see."""
    # Exact types only, as the reference does: this runs on every value a
    # detection reads, and ABC checks cost more than the whole lookup.
    kind = type(value)
    if kind is dict:
        return ImmutableCaseInsensitiveDict(value)
    if kind is list:
        return ImmutableList(value)
    return value


def thaw(value):
    """A plain, mutable deep copy (for JSON output and for helpers that need a dict)."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, ImmutableList)):
        return [thaw(item) for item in value]
    return value


class _Frozen:
    """What makes the immutable containers immutable: every write raises, and
    copies may share the object (as tuples do), since nothing can change it."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise TypeError(f"{type(self).__name__} does not support attribute assignment")

    def __setitem__(self, key, value):
        raise TypeError(f"{type(self).__name__} does not support item assignment")

    def __delitem__(self, key):
        raise TypeError(f"{type(self).__name__} does not support item deletion")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def copy(self):
        """A mutable copy, as plain dicts and lists."""
        return thaw(self)


class ImmutableList(_Frozen, Sequence):
    """A list that cannot be changed and that wraps what it hands out."""

    __slots__ = ("_items",)

    def __init__(self, items=()):
        object.__setattr__(self, "_items", items if isinstance(items, (list, tuple)) else list(items))

    def __getitem__(self, index):
        if isinstance(index, slice):
            # Panther hands out a slice as a tuple of plain values; copies here,
            # so that changing them cannot change the event.
            return tuple(thaw(item) for item in self._items[index])
        return freeze(self._items[index])

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        for item in self._items:
            yield freeze(item)

    def __eq__(self, other):
        # Rules compare against list literals; a tuple-like inequality would surprise them.
        if isinstance(other, (ImmutableList, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        # Titles interpolate values: the text matches Panther's (a tuple inside).
        return f"ImmutableList({tuple(self._items)!r})"

    def as_list(self):
        """A mutable deep copy."""
        return thaw(self)

    to_list = as_list


class ImmutableCaseInsensitiveDict(_Frozen, Mapping):
    """A mapping whose keys match regardless of case: an exact match wins, else the
    first key that differs only in case. Iteration yields the original keys."""

    __slots__ = ("_data", "_folded", "_children")

    def __init__(self, data=None):
        data = {} if data is None else data
        if type(data) is dict:
            pass
        elif isinstance(data, ImmutableCaseInsensitiveDict):
            data = data._data
        elif not isinstance(data, dict):
            data = dict(data)
        object.__setattr__(self, "_data", data)
        # Built on first case-insensitive miss: most lookups use the exact key.
        object.__setattr__(self, "_folded", None)
        object.__setattr__(self, "_children", None)

    def _resolve(self, key):
        data = self._data
        if key in data:
            return key
        if not data:
            raise KeyError(key)
        if not isinstance(key, str):
            # Panther lower-cases whatever key it is given: a non-string key
            # that is not an exact match fails as that does, not as a miss.
            raise AttributeError(f"'{type(key).__name__}' object has no attribute 'lower'")
        folded = self._folded
        if folded is None:
            folded = {}
            for original in data:
                if isinstance(original, str):
                    # lower(), not casefold(): "ß" must not match "SS".
                    folded.setdefault(original.lower(), original)
            object.__setattr__(self, "_folded", folded)
        try:
            return folded[key.lower()]
        except KeyError:
            raise KeyError(key) from None

    def __getitem__(self, key):
        value = self._data[self._resolve(key)]
        if type(value) in _SCALARS:
            return value
        return self._child(key, value)

    def _child(self, key, value):
        # Rules read the same nested object many times (deep_get of actor.x,
        # actor.y, ...); one view per child saves a wrapper per read.
        children = self._children
        if children is None:
            children = {}
            object.__setattr__(self, "_children", children)
        view = children.get(key)
        if view is None:
            view = children[key] = freeze(value)
        return view

    def __contains__(self, key):
        try:
            self._resolve(key)
        except KeyError:
            return False
        return True

    def get(self, key, default=None):
        # The hottest call of every detection: exact key and scalar value first.
        data = self._data
        if key in data:
            value = data[key]
        else:
            try:
                value = data[self._resolve(key)]
            except KeyError:
                return default
        if type(value) in _SCALARS:
            return value
        return self._child(key, value)

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        return f"{type(self).__name__}({self._data!r})"

    def to_dict(self):
        """A mutable deep copy."""
        return thaw(self)

    def raw_view(self):
        """The decoded JSON behind the view, not copied: treat it as read-only."""
        return self._data

    def deep_get(self, *keys, default=None):
        """The value at `keys`, or `default` when the path is missing or ends
        on None (a missing key goes on from `default`, as in Panther)."""
        current = self
        for key in keys:
            current = current.get(key, default) if isinstance(current, Mapping) else default
        return default if current is None else current


def json_encoder(obj):
    """For json.dumps(default=...): the plain data behind an immutable view."""
    if isinstance(obj, (ImmutableCaseInsensitiveDict, ImmutableList)):
        return thaw(obj)
    raise TypeError(f"object of type {type(obj)} is not JSON serializable")


__all__ = ["ImmutableCaseInsensitiveDict", "ImmutableList", "freeze", "json_encoder", "thaw"]
