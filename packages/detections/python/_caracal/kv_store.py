"""The key-value store behind panther_detection_helpers.caching.

This is the per-interpreter implementation; a store shared by all workers of a
tenant replaces it through `use_store` without changing the caching module."""

import copy
import time

DEFAULT_TTL_SECONDS = 90 * 24 * 3600
# Below this an expiration is a duration, above it an epoch (as Panther's helpers do).
RELATIVE_EXPIRY_LIMIT = 1_000_000_000


def absolute_expiry(epoch_seconds, now):
    epoch_seconds = float(epoch_seconds)
    return now + epoch_seconds if epoch_seconds < RELATIVE_EXPIRY_LIMIT else epoch_seconds


class _Entry:
    __slots__ = ("counter", "strings", "dictionary", "expires_at")

    def __init__(self, expires_at):
        self.counter = 0
        self.strings = set()
        self.dictionary = None
        self.expires_at = expires_at


class InMemoryKeyValueStore:
    def __init__(self, clock=time.time):
        self._clock = clock
        self._entries = {}

    def _live(self, key):
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at <= self._clock():
            del self._entries[key]
            return None
        return entry

    def _entry_for_write(self, key, epoch_seconds=None):
        now = self._clock()
        entry = self._live(key)
        if entry is None:
            entry = self._entries[key] = _Entry(now + DEFAULT_TTL_SECONDS)
        if epoch_seconds is not None:
            entry.expires_at = absolute_expiry(epoch_seconds, now)
        return entry

    def get_counter(self, key):
        entry = self._live(key)
        return entry.counter if entry else 0

    def increment_counter(self, key, val):
        entry = self._entry_for_write(key)
        entry.counter += val
        return entry.counter

    def reset_counter(self, key):
        entry = self._live(key)
        if entry:
            entry.counter = 0

    def get_string_set(self, key):
        entry = self._live(key)
        return set(entry.strings) if entry else set()

    def put_string_set(self, key, values, epoch_seconds=None):
        self._entry_for_write(key, epoch_seconds).strings = set(values)

    def add_to_string_set(self, key, values):
        entry = self._entry_for_write(key)
        entry.strings.update(values)
        return set(entry.strings)

    def remove_from_string_set(self, key, values):
        entry = self._live(key)
        if entry is None:
            return set()
        entry.strings.difference_update(values)
        return set(entry.strings)

    def reset_string_set(self, key):
        entry = self._live(key)
        if entry:
            entry.strings = set()

    def get_dictionary(self, key):
        entry = self._live(key)
        return copy.deepcopy(entry.dictionary) if entry and entry.dictionary is not None else {}

    def put_dictionary(self, key, value, epoch_seconds=None):
        self._entry_for_write(key, epoch_seconds).dictionary = copy.deepcopy(value)

    def set_key_expiration(self, key, epoch_seconds):
        entry = self._live(key)
        if entry:
            entry.expires_at = absolute_expiry(epoch_seconds, self._clock())


_store = InMemoryKeyValueStore()


def active_store():
    return _store


def use_store(store):
    global _store
    _store = store
