"""Walking nested event data by key paths.

Two flavours exist, because detections written for Panther see two:
`deep_get` / `deep_walk` here behave as the module functions content ships in
its global helpers (they walk the immutable views, so keys match in any case
and containers come back as views); `walk_event` is what `PantherEvent.deep_walk`
does, which walks the decoded JSON itself (keys match exactly, and a container
at the end of the path comes back as plain data)."""

from collections.abc import Mapping, Sequence

from panther_core.immutable import ImmutableCaseInsensitiveDict, thaw

# Concrete types first: ABC checks dominate the cost of a walk otherwise.
_MAPPINGS = (ImmutableCaseInsensitiveDict, dict)


def _is_mapping(value):
    return isinstance(value, _MAPPINGS) or isinstance(value, Mapping)


def _is_sequence(value):
    # A string is a Sequence too, but never one to descend into.
    return not isinstance(value, str) and isinstance(value, Sequence)


def deep_get(obj, *keys, default=None):
    """The value at `keys`, or `default` when the path is missing or ends on None.

    A missing key yields `default` and the walk goes on from there: with a
    mapping as the default, later keys are looked up in it."""
    current = obj
    for key in keys:
        current = current.get(key, default) if _is_mapping(current) else default
    return default if current is None else current


def _all_empty(value):
    # An empty list, or lists of (lists of) empty lists: nothing was found.
    return _is_sequence(value) and all(_all_empty(item) for item in value)


class _Found:
    """Results in first-seen order without repeats. Equal hashable values are one
    result (so 1 and True are too, as for dict keys); unhashable ones, which
    Panther cannot collect at all, are compared by equality."""

    __slots__ = ("keys", "others", "order")

    def __init__(self):
        self.keys = {}
        self.others = []
        self.order = []

    def add(self, value):
        try:
            if value in self.keys:
                return
            self.keys[value] = None
        except TypeError:
            if any(value == other for other in self.others):
                return
            self.others.append(value)
        self.order.append(value)


def _pick(values, default, return_val):
    if not values:
        return default
    if return_val == "first":
        return values[0]
    if return_val == "last":
        return values[-1]
    if return_val == "all":
        return values[0] if len(values) == 1 else values
    # Panther answers the literal string for an unknown mode once something is found.
    return "all"


def _collect(found, value):
    if value is None:
        return
    if _is_sequence(value):
        # One level only: a nested list is one result.
        for item in value:
            found.add(item)
    else:
        found.add(value)


def deep_walk(obj, *keys, default=None, return_val="all"):
    """Like deep_get, but lists on the way are walked item by item and what the
    items yield is collected (without repeats); `return_val` picks "first",
    "last" or "all" (a single result unwrapped). A path that ends on a list
    yields the list itself."""
    if not keys:
        return default if _all_empty(obj) else obj
    if _is_mapping(obj):
        child = obj.get(keys[0], None)
        if child is None:
            return default
        return deep_walk(child, *keys[1:], default=default, return_val=return_val)
    found = _Found()
    if _is_sequence(obj):
        for item in obj:
            _collect(found, deep_walk(item, *keys, default=default, return_val=return_val))
    return _pick(found.order, default, return_val)


def _walk_raw(obj, keys, default, return_val):
    if not keys:
        return default if obj is None or _all_empty(obj) else obj
    if _is_mapping(obj):
        # A missing key goes on with the default, as PantherEvent.deep_walk does.
        return _walk_raw(obj.get(keys[0], default), keys[1:], default, return_val)
    found = _Found()
    if _is_sequence(obj):
        for item in obj:
            _collect(found, _walk_raw(item, keys, default, return_val))
    return _pick(found.order, default, return_val)


def walk_event(raw, *keys, default=None, return_val="all"):
    """PantherEvent.deep_walk over the decoded JSON `raw`. Containers in the
    answer are fresh plain copies: the caller may change them without changing
    the event other detections see."""
    result = _walk_raw(raw, keys, default, return_val)
    if isinstance(result, (dict, list)):
        return thaw(result)
    return result


__all__ = ["deep_get", "deep_walk", "walk_event"]
