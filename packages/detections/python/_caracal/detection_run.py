"""One detection on one event: rule(), then the auxiliary functions with their
defaults. Every run of customer detection code goes through `run_detection`,
the one place the host's supervision (time and memory limits) wraps."""

import datetime
import json
from collections.abc import Mapping

from _caracal import supervision
from _caracal.failures import MAX_MESSAGE_BYTES, MAX_TRACEBACK_BYTES, MAX_TYPE_BYTES, bounded, bounded_tail, describe, one_line
from panther_core.immutable import ImmutableList, thaw

# Panther's limit on titles, dedup strings and the other generated fields
# (1000), counted here in UTF-8 bytes; a cut value ends with a marker within it.
MAX_TEXT_BYTES = 1000
MAX_DESTINATIONS = 10
MAX_ALERT_CONTEXT_BYTES = 200 * 1024
SEVERITIES = ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")

_ABSENT = object()
_FAILED = object()


def _json_default(value):
    if isinstance(value, Mapping):
        return thaw(value)
    if isinstance(value, (ImmutableList, tuple)):
        return thaw(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# Bound before any customer code runs: a detection that rebinds json.dumps or
# json.JSONEncoder changes what its own code sees, not how outcomes are written.
# (What it can still reach, it breaks only for its own tenant: the parent
# refuses an answer it cannot read and reports rule errors for that chunk.)
_encode = json.JSONEncoder(default=_json_default, allow_nan=False, separators=(",", ":")).encode
_loads = json.loads


def dumps(value):
    return _encode(value)


def _call(module, name, event, aux_errors):
    # The module dict, not getattr: a missing attribute costs an exception each time.
    func = module.__dict__.get(name)
    if not callable(func):
        return _ABSENT
    try:
        return func(event)
    except (Exception, SystemExit) as exc:
        aux_errors.append(f"{name}: {one_line(exc)}")
        return _FAILED


def _text(value, name, default, aux_errors, empty_is_default=False):
    if value is _ABSENT or value is _FAILED or value is None:
        return default
    if not isinstance(value, str):
        aux_errors.append(f"{name}: returned {type(value).__name__}, expected str")
        return default
    if empty_is_default and not value:
        return default
    # The dedup string keys alerts: its marker leaves out the size, so values alike
    # in their first kilobyte still group together, as Panther's constant suffix does.
    return bounded(value, MAX_TEXT_BYTES, with_size=name != "dedup")


def _severity(value, default, aux_errors):
    if value is _ABSENT or value is _FAILED or value is None:
        return default
    if not isinstance(value, str):
        aux_errors.append(f"severity: returned {type(value).__name__}, expected str")
        return default
    upper = value.strip().upper()
    if upper == "DEFAULT":
        return default
    if upper not in SEVERITIES:
        aux_errors.append(f"severity: invalid value {value[:100]!r}")
        return default
    return upper


def _alert_context(value, aux_errors):
    if value is _ABSENT or value is _FAILED or value is None:
        return {}
    if not isinstance(value, Mapping):
        aux_errors.append(f"alert_context: returned {type(value).__name__}, expected a mapping")
        return {}
    try:
        serialised = dumps(value)
    except (TypeError, ValueError) as exc:
        aux_errors.append(f"alert_context: not JSON-serialisable: {exc}")
        return {}
    size = len(serialised.encode("utf-8"))
    if size > MAX_ALERT_CONTEXT_BYTES:
        return {"_error": f"alert_context is {size} bytes serialised, over the limit of {MAX_ALERT_CONTEXT_BYTES}"}
    return _loads(serialised)


def _destinations(value, aux_errors):
    if value is _ABSENT or value is _FAILED or value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple, ImmutableList)):
        aux_errors.append(f"destinations: returned {type(value).__name__}, expected a list")
        return None
    if not all(isinstance(item, str) for item in value):
        aux_errors.append("destinations: every destination must be a str")
        return None
    if len(value) > MAX_DESTINATIONS:
        aux_errors.append(f"destinations: {len(value)} given, kept the first {MAX_DESTINATIONS}")
    return [bounded(item, MAX_TEXT_BYTES) for item in list(value)[:MAX_DESTINATIONS]]


def _match(rule, event):
    module = rule.module
    aux_errors = []
    title_value = _call(module, "title", event, aux_errors)
    title = _text(title_value, "title", rule.display_name or rule.rule_id, aux_errors, empty_is_default=True)
    dedup_default = title if title_value is not _ABSENT else f"defaultDedupString:{rule.rule_id}"
    dedup = _text(_call(module, "dedup", event, aux_errors), "dedup", dedup_default, aux_errors, empty_is_default=True)
    severity = _severity(_call(module, "severity", event, aux_errors), rule.severity, aux_errors)
    alert_context = _alert_context(_call(module, "alert_context", event, aux_errors), aux_errors)
    description = _text(_call(module, "description", event, aux_errors), "description", rule.description, aux_errors)
    reference = _text(_call(module, "reference", event, aux_errors), "reference", rule.reference, aux_errors)
    runbook = _text(_call(module, "runbook", event, aux_errors), "runbook", rule.runbook, aux_errors)
    destinations = _destinations(_call(module, "destinations", event, aux_errors), aux_errors)
    return {
        "kind": "match",
        "ruleId": rule.rule_id,
        "title": title,
        "dedup": dedup,
        "severity": severity,
        "alertContext": alert_context,
        "description": description,
        "reference": reference,
        "runbook": runbook,
        "destinations": destinations,
        # A message may quote a returned value or a type name of any size.
        "auxErrors": [bounded(error, MAX_MESSAGE_BYTES) for error in aux_errors],
    }


def error_outcome(rule, failure):
    # describe() bounds what it makes; this also covers failures made elsewhere.
    return {
        "kind": "error",
        "ruleId": rule.rule_id,
        **failure,
        "errorType": bounded(failure.get("errorType", ""), MAX_TYPE_BYTES),
        "message": bounded(failure.get("message", ""), MAX_MESSAGE_BYTES),
        "traceback": bounded_tail(failure.get("traceback", ""), MAX_TRACEBACK_BYTES),
    }


def run_detection(rule, event, unit_index=-1):
    """A match dict, an error dict, or None when the rule did not match (or its
    InlineFilters excluded the event). The whole run (filters, rule and
    auxiliary functions) is one supervised unit."""
    if rule.load_error is not None:
        return error_outcome(rule, rule.load_error)
    supervision.begin(unit_index, rule.index)
    try:
        if rule.filters is not None:
            try:
                if not rule.filters(event):
                    return None
            except (Exception, SystemExit) as exc:
                failure = describe(exc)
                return error_outcome(rule, {**failure, "message": f"InlineFilters: {failure['message']}"})
        try:
            result = getattr(rule.module, rule.matcher)(event)
        except (Exception, SystemExit) as exc:
            return error_outcome(rule, describe(exc))
        if result is not True and result is not False:
            return error_outcome(rule, {
                "errorType": "TypeError",
                "message": f"{rule.matcher}() returned {type(result).__name__}, expected bool",
                "traceback": "",
            })
        # A rule alerts on True, a policy on False (the resource fails it).
        if result is not rule.alert_value:
            return None
        return _match(rule, event)
    except (supervision.DetectionTimeout, supervision.MemoryLimitExceeded) as exc:
        # Also when an auxiliary function ran over: the run as a whole is stopped.
        return error_outcome(rule, describe(exc))
    finally:
        supervision.end()


def aborted(reason):
    """The failure of a run the host refused to repeat, because it killed a worker."""
    return {"errorType": "DetectionAborted", "message": reason, "traceback": ""}


def skipped(rule, reason):
    return error_outcome(rule, aborted(reason))
