"""The key-value store behind panther_detection_helpers.caching.

Values live in the host, not in the interpreter: every worker thread and every
rules-worker process of a tenant has its own interpreter, and they must all see
the same counters. The host installs a synchronous `call(request_json)` bound to
the tenant of this interpreter; the tenant is never chosen from Python."""

import json


class KeyValueStoreError(Exception):
    pass


class BridgedKeyValueStore:
    def __init__(self, call):
        self._call = call

    @staticmethod
    def _expiry(epoch_seconds):
        return None if epoch_seconds is None else float(epoch_seconds)

    def _request(self, op, key, **fields):
        request = {"op": op, "key": key}
        request.update(fields)
        answer = json.loads(self._call(json.dumps(request, separators=(",", ":"))))
        if "error" in answer:
            raise KeyValueStoreError(f"{op}({key!r}): {answer['error']}")
        return answer.get("result")

    def get_counter(self, key):
        return self._request("get_counter", key)

    def increment_counter(self, key, val, epoch_seconds=None):
        return self._request("increment_counter", key, val=val, epochSeconds=self._expiry(epoch_seconds))

    def reset_counter(self, key):
        self._request("reset_counter", key)

    def get_string_set(self, key):
        return set(self._request("get_string_set", key))

    def put_string_set(self, key, values, epoch_seconds=None):
        self._request("put_string_set", key, values=list(values), epochSeconds=self._expiry(epoch_seconds))

    def add_to_string_set(self, key, values, epoch_seconds=None):
        return set(self._request("add_to_string_set", key, values=list(values), epochSeconds=self._expiry(epoch_seconds)))

    def remove_from_string_set(self, key, values, epoch_seconds=None):
        return set(
            self._request("remove_from_string_set", key, values=list(values), epochSeconds=self._expiry(epoch_seconds))
        )

    def reset_string_set(self, key):
        self._request("reset_string_set", key)

    def get_dictionary(self, key):
        return self._request("get_dictionary", key)

    def put_dictionary(self, key, value, epoch_seconds=None):
        self._request("put_dictionary", key, value=value, epochSeconds=self._expiry(epoch_seconds))

    def set_key_expiration(self, key, epoch_seconds):
        self._request("set_key_expiration", key, epochSeconds=self._expiry(epoch_seconds))


class _NoStore:
    def __getattr__(self, name):
        raise KeyValueStoreError("no key-value store is connected to this interpreter")


_store = _NoStore()


def active_store():
    return _store


def use_store(store):
    global _store
    _store = store
