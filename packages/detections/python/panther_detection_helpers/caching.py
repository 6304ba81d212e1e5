"""Counters, string sets and dictionaries that persist between events.

One key holds one entry with a counter, a string set and a dictionary side by
side, and one expiry. Every write sets that expiry: `epoch_seconds` below
604801 (a week) counts from now, anything else is an epoch, and no value means
90 days from now. Reads never return an expired value, so `force_ttl_check`
changes nothing here."""

import json
import time
from collections.abc import Mapping

from _caracal.kv_store import KeyValueStoreError, active_store

DEFAULT_EXPIRY_SECONDS = 90 * 24 * 3600
# Below this, epoch_seconds is a duration from now (Panther's rule, a week and a second).
RELATIVE_EXPIRY_LIMIT = 604801
# The store reads a value below this as a duration; every real epoch is above it.
_STORE_RELATIVE_LIMIT = 1_000_000_000
_TTL_FIELD = "expiresAt"


def _expiry(epoch_seconds):
    """The expiry to send the store for Panther's `epoch_seconds` argument."""
    if isinstance(epoch_seconds, str):
        epoch_seconds = float(epoch_seconds)
    if isinstance(epoch_seconds, float):
        epoch_seconds = int(epoch_seconds)
    if not isinstance(epoch_seconds, int):
        return DEFAULT_EXPIRY_SECONDS
    if epoch_seconds < RELATIVE_EXPIRY_LIMIT:
        return epoch_seconds
    if epoch_seconds < _STORE_RELATIVE_LIMIT:
        # An epoch before 2001: long past, so the entry is expired at once.
        return -1
    return epoch_seconds


def _check_key(key):
    if not isinstance(key, str) or not key:
        raise ValueError("cache key must be a non-empty string")
    return key


def _members(val):
    """A string, or an iterable of strings, as the set of them."""
    items = {val} if isinstance(val, str) else set(val)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"string sets hold strings, got {type(item).__name__}")
    return items


def kv_table():
    """Panther's DynamoDB table. There is none here: the functions of this
    module reach the tenant's own store instead."""
    raise KeyValueStoreError("there is no DynamoDB table here; use the functions of panther_detection_helpers.caching")


def ttl_expired(response):
    """Whether a stored item (`{"Item": {"expiresAt": epoch}}`) has expired;
    an item without an expiry answers 0."""
    expiration = response.get("Item", {}).get(_TTL_FIELD, 0)
    return expiration and float(expiration) <= time.time()


def get_counter(key, force_ttl_check=False):
    """The counter's value, 0 when it was never incremented or has expired."""
    return active_store().get_counter(_check_key(key))


def increment_counter(key, val=1, epoch_seconds=None):
    """Adds `val` (an int) to the counter and returns the new value."""
    if isinstance(val, bool) or not isinstance(val, int):
        raise TypeError(f"counter increments are integers, got {type(val).__name__}")
    return active_store().increment_counter(_check_key(key), val, _expiry(epoch_seconds))


def reset_counter(key):
    active_store().reset_counter(_check_key(key))


def set_key_expiration(key, epoch_seconds):
    """Sets when the entry expires (None: 90 days from now)."""
    active_store().set_key_expiration(_check_key(key), _expiry(epoch_seconds))


def put_dictionary(key, val, epoch_seconds=None):
    """Replaces the dictionary. It is stored as JSON: a value json.dumps refuses
    (sets, objects, the immutable views of the event: call .to_dict() on those)
    raises ValueError, and what comes back is what JSON keeps (string keys)."""
    if not isinstance(val, Mapping):
        raise TypeError("put_dictionary: the value is not a dictionary")
    try:
        text = json.dumps(val)
    except TypeError as exc:
        raise ValueError("put_dictionary: the value is a dictionary but not JSON serialisable") from exc
    active_store().put_dictionary(_check_key(key), json.loads(text), _expiry(epoch_seconds))


def get_dictionary(key, force_ttl_check=False):
    """The dictionary, {} when there is none."""
    return active_store().get_dictionary(_check_key(key)) or {}


def get_string_set(key, force_ttl_check=False):
    """The string set, an empty set when there is none."""
    return active_store().get_string_set(_check_key(key))


def put_string_set(key, val, epoch_seconds=None):
    """Replaces the string set with the members of `val` (any iterable: a string
    gives its characters). An empty `val` resets the set."""
    if not val:
        reset_string_set(key)
        return
    active_store().put_string_set(_check_key(key), sorted(_members(set(val))), _expiry(epoch_seconds))


def add_to_string_set(key, val, epoch_seconds=None):
    """Adds one string, or each string of an iterable; returns the new set."""
    members = _members(val)
    if not members:
        return get_string_set(key, force_ttl_check=True)
    return active_store().add_to_string_set(_check_key(key), sorted(members), _expiry(epoch_seconds))


def remove_from_string_set(key, val, epoch_seconds=None):
    """Removes one string, or each string of an iterable; returns what is left."""
    members = _members(val)
    if not members:
        return get_string_set(key, force_ttl_check=True)
    return active_store().remove_from_string_set(_check_key(key), sorted(members), _expiry(epoch_seconds))


def reset_string_set(key):
    active_store().reset_string_set(_check_key(key))


def evaluate_threshold(key, threshold=10, expiry_seconds=3600):
    """Counts one more occurrence (the counter expiring `expiry_seconds` from
    now); once the count reaches `threshold` it starts over and this answers True."""
    count = increment_counter(key, epoch_seconds=expiry_seconds)
    if count >= threshold:
        reset_counter(key)
        return True
    return False


def check_account_age(key):
    """True when a non-empty string set is stored under `key` (rules that see
    an account created record its id so); False for any other key."""
    if isinstance(key, str) and key != "":
        return bool(get_string_set(key, force_ttl_check=True))
    return False


__all__ = [
    "add_to_string_set",
    "check_account_age",
    "evaluate_threshold",
    "get_counter",
    "get_dictionary",
    "get_string_set",
    "increment_counter",
    "kv_table",
    "put_dictionary",
    "put_string_set",
    "remove_from_string_set",
    "reset_counter",
    "reset_string_set",
    "set_key_expiration",
    "ttl_expired",
]
