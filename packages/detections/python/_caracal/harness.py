"""Entry points called from JavaScript. Everything crosses as JSON text: one call
per batch, not per event, because each crossing costs more than a detection."""

import json

from _caracal import kv_store, sandbox, supervision
from _caracal.detection_run import dumps, run_detection, skipped
from _caracal.failures import describe
from _caracal.loaded_content import LoadedContent
from _caracal.rule_tests import run_tests
from panther_core.enriched_event import PantherEvent

_content = None


def lock_down():
    sandbox.lock_down()


def connect_host(report_progress, overdue_seq, memory_exceeded, kv_call, time_limit_ms, memory_limit_mb):
    """The host's hooks: supervision of every run, and the tenant's key-value
    store. Called before lock_down, with functions that expose nothing but
    their call."""
    supervision.install(report_progress, overdue_seq, memory_exceeded, time_limit_ms, memory_limit_mb)
    kv_store.use_store(kv_store.BridgedKeyValueStore(kv_call))


def _refused(refused_json):
    # JSON object keys are strings; the harness indexes by int.
    return {int(k): v for k, v in json.loads(refused_json or "{}").items()}


def load_content(payload_json, refused_rules_json="{}"):
    """Loads rules, globals and data models (customer code runs here first, so
    lock_down must have run). Returns the modules that failed to load."""
    global _content
    _content = LoadedContent(json.loads(payload_json), _refused(refused_rules_json))
    return dumps({"loadErrors": _content.load_errors, "rules": len(_content.rules)})


def _refused_runs(refused_json):
    # {"unit:rule": reason}: runs that killed a worker before.
    refused = {}
    for key, reason in json.loads(refused_json or "{}").items():
        unit, _, rule = key.partition(":")
        refused[(int(unit), int(rule))] = reason
    return refused


def evaluate_batch(events_json, refused_json="{}"):
    content = _content
    events = json.loads(events_json)
    refused = _refused_runs(refused_json)
    outcomes = []
    for index, raw in enumerate(events):
        log_type = raw.get("p_log_type") if isinstance(raw, dict) else None
        rules = content.enabled_by_log_type.get(log_type)
        if not rules:
            continue
        event = PantherEvent(raw, content.data_model_for(log_type))
        for rule in rules:
            reason = refused.get((index, rule.index)) if refused else None
            outcome = skipped(rule, reason) if reason is not None else run_detection(rule, event, index)
            if outcome is not None:
                outcome["eventIndex"] = index
                outcomes.append(outcome)
    try:
        return dumps(outcomes)
    except (TypeError, ValueError) as exc:
        # Only reachable through a harness bug: values were checked when produced.
        raise RuntimeError(f"outcomes not serialisable: {describe(exc)['message']}") from exc


def run_rule_tests(tests_json, refused_json="{}", with_outcomes=False):
    return dumps(run_tests(_content, json.loads(tests_json), _refused(refused_json), bool(with_outcomes)))
