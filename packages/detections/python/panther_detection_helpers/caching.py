"""Counters, string sets and dictionaries that persist between events.

Every write sets a 90-day expiry on a new key; `epoch_seconds` below 1e9 is a
duration from now, otherwise an absolute epoch."""

import json
from collections.abc import Iterable, Mapping

from _caracal.kv_store import active_store
from panther_core.immutable import thaw


def _check_key(key):
    if not isinstance(key, str) or not key:
        raise ValueError("cache key must be a non-empty string")
    return key


def _strings(val):
    if isinstance(val, str):
        return [val]
    if not isinstance(val, Iterable):
        raise TypeError(f"expected a string or an iterable of strings, got {type(val).__name__}")
    items = list(val)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"string sets hold strings, got {type(item).__name__}")
    return items


def get_counter(key, force_ttl_check=False):
    return active_store().get_counter(_check_key(key))


def increment_counter(key, val=1, force_ttl_check=False):
    if isinstance(val, bool) or not isinstance(val, int):
        raise TypeError("counter increments are integers")
    return active_store().increment_counter(_check_key(key), val)


def reset_counter(key):
    active_store().reset_counter(_check_key(key))


def get_string_set(key, force_ttl_check=False):
    return active_store().get_string_set(_check_key(key))


def put_string_set(key, val, epoch_seconds=None):
    active_store().put_string_set(_check_key(key), _strings(val), epoch_seconds)


def add_to_string_set(key, val, force_ttl_check=False):
    return active_store().add_to_string_set(_check_key(key), _strings(val))


def remove_from_string_set(key, val, force_ttl_check=False):
    return active_store().remove_from_string_set(_check_key(key), _strings(val))


def reset_string_set(key):
    active_store().reset_string_set(_check_key(key))


def get_dictionary(key, force_ttl_check=False):
    return active_store().get_dictionary(_check_key(key))


def put_dictionary(key, val, epoch_seconds=None):
    if not isinstance(val, Mapping):
        raise TypeError(f"put_dictionary takes a mapping, got {type(val).__name__}")
    plain = thaw(val)
    # The shared store keeps JSON, so refuse now what it could not keep later.
    json.dumps(plain)
    active_store().put_dictionary(_check_key(key), plain, epoch_seconds)


def set_key_expiration(key, epoch_seconds):
    active_store().set_key_expiration(_check_key(key), epoch_seconds)


__all__ = [
    "add_to_string_set",
    "get_counter",
    "get_dictionary",
    "get_string_set",
    "increment_counter",
    "put_dictionary",
    "put_string_set",
    "remove_from_string_set",
    "reset_counter",
    "reset_string_set",
    "set_key_expiration",
]
