"""Entry points called from JavaScript. Everything crosses as JSON text: one call
per batch, not per event, because each crossing costs more than a detection."""

import json
import time

from _caracal import kv_store, sandbox, supervision
from _caracal.detection_run import dumps, run_detection, skipped
from _caracal.failures import describe
from _caracal.loaded_content import LoadedContent
from _caracal.rule_tests import run_tests
from panther_core.enriched_event import PantherEvent

# Taken before any customer code runs: a detection that rebinds json.loads
# changes what its own code sees, not what the harness reads.
_loads = json.loads


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
    return {int(k): v for k, v in _loads(refused_json or "{}").items()}


def _refused_runs(refused_json):
    # {"unit:rule": reason}: runs that killed a detection process before;
    # {"*:rule": reason}: a rule skipped on every event for a while (it had to be killed for its time).
    refused = {}
    for key, reason in _loads(refused_json or "{}").items():
        unit, _, rule = key.partition(":")
        refused[(None if unit == "*" else int(unit), int(rule))] = reason
    return refused


# A clock reading costs about a microsecond in Pyodide (it calls into JavaScript), as
# much as a small rule: only every TIMING_STRIDE-th event of each log type is timed,
# and the times scaled to all of them. The first event always is, so a batch of one
# is measured exactly.
TIMING_STRIDE = 8


class LogTypeTiming:
    """One log type's share of a timed batch: events seen, events timed, and the
    seconds each rule (by id) took over the timed ones."""

    __slots__ = ("seen", "timed", "seconds_by_rule")

    def __init__(self):
        self.seen = 0
        self.timed = 0
        self.seconds_by_rule = {}

    def scaled(self, into):
        """Adds this log type's times, scaled from the timed events to all, to `into`."""
        scale = self.seen / self.timed
        for rule_id, spent in self.seconds_by_rule.items():
            into[rule_id] = into.get(rule_id, 0.0) + spent * scale


class Harness:
    """The content one interpreter has loaded and the calls JavaScript makes on
    it. One instance per interpreter; its bound methods are the module's entry
    points, so the host calls plain functions as before."""

    __slots__ = ("content",)

    def __init__(self):
        self.content = None

    def load_content(self, payload_json, refused_rules_json="{}"):
        """Loads rules, globals and data models (customer code runs here first, so
        lock_down must have run). Returns the modules that failed to load."""
        content = self.content = LoadedContent(_loads(payload_json), _refused(refused_rules_json))
        return dumps({"loadErrors": content.load_errors, "rules": len(content.rules)})

    def evaluate_batch(self, events_json, refused_json="{}", with_timings=False):
        """The outcomes, as a JSON list; with_timings: {"outcomes": [...],
        "ruleSeconds": {rule id: seconds}}, the time each rule's functions took
        over the whole batch (estimated, see TIMING_STRIDE)."""
        content = self.content
        events = _loads(events_json)
        refused = _refused_runs(refused_json)
        outcomes = []
        # log type -> LogTypeTiming
        timing = {} if with_timings else None
        clock = time.perf_counter
        for index, raw in enumerate(events):
            log_type = raw.get("p_log_type") if isinstance(raw, dict) else None
            rules = content.enabled_by_log_type.get(log_type)
            if not rules:
                continue
            event = PantherEvent(raw, content.data_model_for(log_type))
            times = None
            if timing is not None:
                stats = timing.get(log_type)
                if stats is None:
                    stats = timing[log_type] = LogTypeTiming()
                if stats.seen % TIMING_STRIDE == 0:
                    stats.timed += 1
                    times = stats.seconds_by_rule
                stats.seen += 1
            if times is not None:
                # One reading per rule boundary, not two per rule.
                previous = clock()
            for rule in rules:
                reason = (refused.get((index, rule.index)) or refused.get((None, rule.index))) if refused else None
                outcome = skipped(rule, reason) if reason is not None else run_detection(rule, event, index)
                if times is not None:
                    now = clock()
                    times[rule.rule_id] = times.get(rule.rule_id, 0.0) + (now - previous)
                    previous = now
                if outcome is not None:
                    outcome["eventIndex"] = index
                    outcomes.append(outcome)
        result = outcomes
        if timing is not None:
            seconds = {}
            for stats in timing.values():
                stats.scaled(seconds)
            result = {"outcomes": outcomes, "ruleSeconds": seconds}
        try:
            return dumps(result)
        except (TypeError, ValueError) as exc:
            # Only reachable through a harness bug: values were checked when produced.
            raise RuntimeError(f"outcomes not serialisable: {describe(exc)['message']}") from exc

    def run_rule_tests(self, tests_json, refused_json="{}", with_outcomes=False):
        return dumps(run_tests(self.content, _loads(tests_json), _refused(refused_json), bool(with_outcomes)))


# The entry points JavaScript takes (pyodide-runtime.ts), bound to this interpreter's one Harness.
_harness = Harness()
load_content = _harness.load_content
evaluate_batch = _harness.evaluate_batch
run_rule_tests = _harness.run_rule_tests
