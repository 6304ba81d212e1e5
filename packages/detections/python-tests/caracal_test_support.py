"""What the test modules share: content payloads shaped as content-payload.ts
writes them, and an in-memory stand-in for the host's key-value store."""

import json
import time

from _caracal.loaded_content import LoadedContent

LOG_TYPE = "Test.Log"


def rule_spec(rule_id, source, log_types=(LOG_TYPE,), **fields):
    """One entry of the payload's `rules`, as contentPayload builds it."""
    spec = {
        "id": rule_id,
        "enabled": True,
        "logTypes": list(log_types),
        "severity": "MEDIUM",
        "displayName": "",
        "description": "",
        "reference": "",
        "runbook": "",
        "source": source,
        "filename": f"rules/{rule_id}.py",
    }
    spec.update(fields)
    return spec


def payload(rules=(), data_models=(), globals_=(), policies=None):
    value = {"globals": list(globals_), "dataModels": list(data_models), "rules": list(rules)}
    if policies is not None:
        value["policies"] = list(policies)
    return value


def payload_json(*args, **kwargs):
    return json.dumps(payload(*args, **kwargs))


def loaded(rules=(), **kwargs):
    """The content as the harness holds it after load_content."""
    return LoadedContent(payload(rules, **kwargs))


def event(**fields):
    return {"p_log_type": LOG_TYPE, **fields}


class MemoryKvHost:
    """The host side of BridgedKeyValueStore: `call(request_json)` answers as
    the host's KV bridge does ({"result": ...} or {"error": ...}), from a dict.
    Expiry is absolute above 1e9 and relative below, as the host reads it."""

    def __init__(self):
        self.entries = {}
        self.requests = []

    def _live(self, key):
        entry = self.entries.get(key)
        if entry is not None and entry["expiresAt"] <= time.time():
            del self.entries[key]
            return None
        return entry

    def _write(self, key, expiry):
        entry = self._live(key)
        if entry is None:
            entry = self.entries[key] = {"counter": 0, "strings": set(), "dictionary": None, "expiresAt": time.time() + 90 * 86400}
        if expiry is not None:
            entry["expiresAt"] = expiry if expiry >= 1_000_000_000 else time.time() + expiry
        return entry

    def call(self, request_json):
        request = json.loads(request_json)
        self.requests.append(request)
        op, key = request["op"], request["key"]
        expiry = request.get("epochSeconds")
        live = self._live(key)
        if op == "get_counter":
            result = live["counter"] if live else 0
        elif op == "increment_counter":
            entry = self._write(key, expiry)
            entry["counter"] += request["val"]
            result = entry["counter"]
        elif op == "reset_counter":
            if live:
                live["counter"] = 0
            result = None
        elif op == "get_string_set":
            result = sorted(live["strings"]) if live else []
        elif op in ("put_string_set", "add_to_string_set", "remove_from_string_set"):
            entry = self._write(key, expiry)
            values = set(request["values"])
            if op == "put_string_set":
                entry["strings"] = values
            elif op == "add_to_string_set":
                entry["strings"] |= values
            else:
                entry["strings"] -= values
            result = sorted(entry["strings"])
        elif op == "reset_string_set":
            if live:
                live["strings"] = set()
            result = None
        elif op == "get_dictionary":
            result = live["dictionary"] if live else None
        elif op == "put_dictionary":
            self._write(key, expiry)["dictionary"] = request["value"]
            result = None
        elif op == "set_key_expiration":
            self._write(key, expiry)
            result = None
        else:
            return json.dumps({"error": f"unknown op {op}"})
        return json.dumps({"result": result})
