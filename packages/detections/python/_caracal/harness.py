"""Entry points called from JavaScript. Everything crosses as JSON (UTF-8 bytes from the host): one call
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


def connect_host(verdict, kv_call, time_limit_ms, memory_limit_mb):
    """The host's hooks: supervision of every run, and the tenant's key-value
    store. Called before lock_down, with functions that expose nothing but
    their call. Returns the array the host reads the current run from."""
    where = supervision.install(verdict, time_limit_ms, memory_limit_mb)
    kv_store.use_store(kv_store.BridgedKeyValueStore(kv_call))
    return where


def _from_host(data):
    """A request's JSON as it arrives: str or bytes natively; from the host a
    JavaScript Uint8Array of UTF-8, copied once into bytes (json.loads reads
    them as they are)."""
    if isinstance(data, (str, bytes)):
        return data
    return data.to_bytes()


def _answer(data, value):
    """The answer in the kind its request came in: UTF-8 bytes for bytes (the
    host copies them out as they are, never through a JavaScript string)."""
    text = dumps(value)
    return text if isinstance(data, str) else text.encode("utf-8")


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

    def evaluate_batch(self, events_json, refused_json="{}", with_timings=False, tenant_id=None):
        """The outcomes, as a JSON list (UTF-8 bytes if the events came as bytes); with_timings: {"outcomes": [...],
        "ruleSeconds": {rule id: seconds}}, the time each rule's functions took
        over the whole batch (estimated, see TIMING_STRIDE). tenant_id: nothing
        runs when an event names another tenant; the answer is then
        {"tenantMismatch": {"index", "tenant"}}."""
        content = self.content
        events_json = _from_host(events_json)
        events = _loads(events_json)
        if tenant_id is not None:
            # Before any detection runs: events the host did not read itself (sent
            # encoded) must all be this interpreter's tenant's.
            for index, raw in enumerate(events):
                if isinstance(raw, dict) and "p_tenant_id" in raw and raw["p_tenant_id"] != tenant_id:
                    return _answer(events_json, {"tenantMismatch": {"index": index, "tenant": str(raw["p_tenant_id"])[:200]}})
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
            extra = raw.pop("p_extra_fields", None)
            if isinstance(extra, dict):
                # The fields the schema does not declare go back where the
                # sender put them; a declared or standard field keeps its value.
                for key, value in extra.items():
                    raw.setdefault(key, value)
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
            return _answer(events_json, result)
        except (TypeError, ValueError) as exc:
            # Only reachable through a harness bug: values were checked when produced.
            raise RuntimeError(f"outcomes not serialisable: {describe(exc)['message']}") from exc

    def run_rule_tests(self, tests_json, refused_json="{}", with_outcomes=False):
        tests_json = _from_host(tests_json)
        return _answer(tests_json, run_tests(self.content, _loads(tests_json), _refused(refused_json), bool(with_outcomes)))


# The entry points JavaScript takes (pyodide-runtime.ts), bound to this interpreter's one Harness.
_harness = Harness()
load_content = _harness.load_content
evaluate_batch = _harness.evaluate_batch
run_rule_tests = _harness.run_rule_tests
