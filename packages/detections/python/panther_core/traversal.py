"""Walking nested event data by key paths (the semantics of deep_get / deep_walk)."""

from collections.abc import Mapping, Sequence

from panther_core.immutable import ImmutableCaseInsensitiveDict, ImmutableList, freeze

_RETURN_VALS = ("all", "first", "last")
# Concrete types first: ABC checks dominate the cost of a walk otherwise.
_MAPPINGS = (ImmutableCaseInsensitiveDict, dict)
_LISTS = (ImmutableList, list, tuple)
_SCALARS = (str, int, float, bool, type(None))


def _is_mapping(value):
    return isinstance(value, _MAPPINGS) or (not isinstance(value, _SCALARS) and isinstance(value, Mapping))


def _is_list(value):
    if isinstance(value, _LISTS):
        return True
    if isinstance(value, _SCALARS) or isinstance(value, (bytes, bytearray)):
        return False
    return isinstance(value, Sequence)


def deep_get(obj, *keys, default=None):
    current = obj
    for key in keys:
        if type(current) is not ImmutableCaseInsensitiveDict and not _is_mapping(current):
            return default
        current = current.get(key)
        if current is None:
            return default
    return default if current is None else current


def _add_unique(found, value):
    # Values may be unhashable views (nested mappings), so equality is the fallback.
    try:
        key = ("h", hash(value))
    except TypeError:
        key = None
    if key is not None:
        seen = found[1]
        if value in seen.get(key, ()):
            return
        seen.setdefault(key, []).append(value)
    elif any(value == other for other in found[0]):
        return
    found[0].append(value)


def _walk(node, keys, found):
    if _is_list(node):
        for item in node:
            _walk(item, keys, found)
        return
    if not keys:
        if node is not None:
            _add_unique(found, freeze(node))
        return
    if _is_mapping(node):
        child = node.get(keys[0])
        if child is not None:
            _walk(child, keys[1:], found)


def deep_walk(obj, *keys, default=None, return_val="all"):
    if return_val not in _RETURN_VALS:
        raise ValueError(f"return_val must be one of {_RETURN_VALS}, got {return_val!r}")
    found = ([], {})
    if not keys:
        # Nothing to descend by: the object itself is the single result.
        return default if obj is None else obj
    _walk(obj, keys, found)
    values = found[0]
    if not values:
        return default
    if return_val == "first":
        return values[0]
    if return_val == "last":
        return values[-1]
    return values[0] if len(values) == 1 else values


__all__ = ["deep_get", "deep_walk"]
