"""Entry points called from JavaScript. Everything crosses as JSON text: one call
per batch, not per event, because each crossing costs more than a detection."""

import json

from _caracal import sandbox
from _caracal.detection_run import dumps, run_detection
from _caracal.failures import describe
from _caracal.loaded_content import LoadedContent
from _caracal.rule_tests import run_tests
from panther_core.enriched_event import PantherEvent

_content = None


def lock_down():
    sandbox.lock_down()


def load_content(payload_json):
    """Loads rules, globals and data models (customer code runs here first, so
    lock_down must have run). Returns the modules that failed to load."""
    global _content
    _content = LoadedContent(json.loads(payload_json))
    return dumps({"loadErrors": _content.load_errors, "rules": len(_content.rules)})


def evaluate_batch(events_json):
    content = _content
    events = json.loads(events_json)
    outcomes = []
    for index, raw in enumerate(events):
        log_type = raw.get("p_log_type") if isinstance(raw, dict) else None
        rules = content.enabled_by_log_type.get(log_type)
        if not rules:
            continue
        event = PantherEvent(raw, content.data_model_for(log_type))
        for rule in rules:
            outcome = run_detection(rule, event)
            if outcome is not None:
                outcome["eventIndex"] = index
                outcomes.append(outcome)
    try:
        return dumps(outcomes)
    except (TypeError, ValueError) as exc:
        # Only reachable through a harness bug: values were checked when produced.
        raise RuntimeError(f"outcomes not serialisable: {describe(exc)['message']}") from exc


def run_rule_tests(tests_json):
    return dumps(run_tests(_content, json.loads(tests_json)))
