"""The entry points JavaScript calls: load_content, evaluate_batch and
run_rule_tests, on payloads shaped as content-payload.ts writes them."""

import json
import unittest
from unittest import mock

from _caracal import harness
from _caracal.harness import TIMING_STRIDE, Harness, LogTypeTiming
from caracal_test_support import LOG_TYPE, event, payload_json, rule_spec

MATCH = """
def rule(event):
    return event.get('action') == 'delete'

def title(event):
    return f"deleted by {event.deep_get('actor', 'name')}"
"""
RAISES = "def rule(event):\n    raise ValueError('boom ' + event['action'])\n"
NEVER = "def rule(event):\n    return False\n"
ALWAYS = "def rule(event):\n    return True\n"


def evaluate(h, events, refused=None, with_timings=False):
    return json.loads(h.evaluate_batch(json.dumps(events), json.dumps(refused or {}), with_timings))


class LoadContentTest(unittest.TestCase):
    def test_counts_rules_and_reports_no_errors_for_good_content(self):
        h = Harness()
        answer = json.loads(h.load_content(payload_json([rule_spec("T.Match", MATCH), rule_spec("T.Never", NEVER)])))
        self.assertEqual(answer, {"loadErrors": [], "rules": 2})

    def test_reports_a_syntax_error_and_a_module_without_rule(self):
        h = Harness()
        answer = json.loads(h.load_content(payload_json([
            rule_spec("T.Broken", "def rule(event)\n"),
            rule_spec("T.NoRule", "x = 1\n"),
        ])))
        self.assertEqual(answer["rules"], 2)
        errors = {e["id"]: e for e in answer["loadErrors"]}
        self.assertEqual(errors["T.Broken"]["kind"], "rule")
        self.assertEqual(errors["T.Broken"]["errorType"], "SyntaxError")
        self.assertIn('File "rules/T.Broken.py", line 1', errors["T.Broken"]["traceback"])
        self.assertEqual(errors["T.NoRule"]["errorType"], "AttributeError")
        self.assertEqual(errors["T.NoRule"]["message"], "rules/T.NoRule.py defines no rule(event) function")

    def test_a_refused_rule_is_not_loaded_and_fails_as_aborted(self):
        h = Harness()
        # The module body would raise if it ran.
        spec = rule_spec("T.Killer", "raise SystemExit('ran')\ndef rule(event):\n    return True\n")
        answer = json.loads(h.load_content(payload_json([spec]), json.dumps({"0": "it killed a worker"})))
        self.assertEqual(answer["loadErrors"], [{
            "kind": "rule", "id": "T.Killer", "errorType": "DetectionAborted", "message": "it killed a worker", "traceback": "",
        }])
        outcome, = evaluate(h, [event()])
        self.assertEqual((outcome["kind"], outcome["errorType"], outcome["eventIndex"]), ("error", "DetectionAborted", 0))

    def test_a_global_is_importable_by_rules(self):
        h = Harness()
        helper = {"id": "harness_test_helpers", "source": "def is_admin(name):\n    return name == 'root'\n", "filename": "global_helpers/h.py"}
        rule = rule_spec("T.Global", "from harness_test_helpers import is_admin\ndef rule(event):\n    return is_admin(event.get('user'))\n")
        self.assertEqual(json.loads(h.load_content(payload_json([rule], globals_=[helper])))["loadErrors"], [])
        self.assertEqual([o["ruleId"] for o in evaluate(h, [event(user="root"), event(user="bob")])], ["T.Global"])


class EvaluateBatchTest(unittest.TestCase):
    def setUp(self):
        self.h = Harness()
        self.h.load_content(payload_json([
            rule_spec("T.Match", MATCH),
            rule_spec("T.Raises", RAISES),
            rule_spec("T.Disabled", ALWAYS, enabled=False),
            rule_spec("T.Other", ALWAYS, log_types=["Other.Log"]),
        ]))

    def test_a_match_carries_the_rule_outputs_and_its_event_index(self):
        outcomes = evaluate(self.h, [event(action="read"), event(action="delete", actor={"name": "homer"})])
        matches = [o for o in outcomes if o["kind"] == "match"]
        self.assertEqual(matches, [{
            "kind": "match", "ruleId": "T.Match", "title": "deleted by homer", "dedup": "deleted by homer",
            "severity": "MEDIUM", "alertContext": {}, "description": "", "reference": "", "runbook": "",
            "destinations": None, "auxErrors": [], "eventIndex": 1,
        }])

    def test_an_exception_is_an_error_outcome_without_harness_frames(self):
        errors = [o for o in evaluate(self.h, [event(action="x")]) if o["kind"] == "error"]
        self.assertEqual(len(errors), 1)
        error = errors[0]
        self.assertEqual((error["ruleId"], error["errorType"], error["message"], error["eventIndex"]), ("T.Raises", "ValueError", "boom x", 0))
        self.assertIn('File "rules/T.Raises.py", line 2, in rule', error["traceback"])
        self.assertNotIn("_caracal", error["traceback"])

    def test_outcomes_follow_event_order_then_rule_order(self):
        outcomes = evaluate(self.h, [event(action="delete"), event(action="delete")])
        self.assertEqual([(o["eventIndex"], o["ruleId"]) for o in outcomes],
                         [(0, "T.Match"), (0, "T.Raises"), (1, "T.Match"), (1, "T.Raises")])

    def test_disabled_rules_do_not_run(self):
        self.assertNotIn("T.Disabled", {o["ruleId"] for o in evaluate(self.h, [event(action="delete")])})

    def test_events_of_a_log_type_no_rule_has_give_nothing(self):
        self.assertEqual(evaluate(self.h, [{"p_log_type": "Nobody.Log", "action": "delete"}, {"action": "delete"}, 7, None]), [])
        self.assertEqual(evaluate(self.h, []), [])

    def test_extra_fields_are_read_where_the_sender_put_them(self):
        h = Harness()
        rule = (
            "def rule(event):\n"
            "    return event.get('ruleset') == 'main' and event.get('action') == 'delete' and 'p_extra_fields' not in event\n"
            "def title(event):\n"
            "    return f\"{event.deep_get('nested', 'k')} {event.get('gone', 'absent')} {event.get('p_tenant_id')}\"\n"
        )
        h.load_content(payload_json([rule_spec("T.Extra", rule)]))
        raw = event(action="delete", p_tenant_id="acme")
        # A declared field and a standard field keep their own values; null is kept as null.
        raw["p_extra_fields"] = {"ruleset": "main", "nested": {"k": "v"}, "action": "spoofed", "p_tenant_id": "globex", "gone": None}
        outcome, = evaluate(h, [raw])
        self.assertEqual((outcome["kind"], outcome["title"]), ("match", "v None acme"))
        self.assertEqual(evaluate(h, [event(action="delete", ruleset="main", p_extra_fields=[1])])[0]["kind"], "match")

    def test_rules_run_only_on_their_log_types(self):
        outcomes = evaluate(self.h, [{"p_log_type": "Other.Log"}])
        self.assertEqual([(o["kind"], o["ruleId"]) for o in outcomes], [("match", "T.Other")])

    def test_a_refused_run_is_skipped_on_that_event_only(self):
        # Rule 0 (T.Match) refused on event 1: it still runs on event 0.
        outcomes = evaluate(self.h, [event(action="delete"), event(action="delete")], {"1:0": "killed a worker"})
        match_outcomes = [(o["eventIndex"], o["kind"], o.get("errorType")) for o in outcomes if o["ruleId"] == "T.Match"]
        self.assertEqual(match_outcomes, [(0, "match", None), (1, "error", "DetectionAborted")])
        aborted = [o for o in outcomes if o.get("errorType") == "DetectionAborted"][0]
        self.assertEqual((aborted["message"], aborted["traceback"]), ("killed a worker", ""))

    def test_a_rule_refused_on_every_event_never_runs(self):
        outcomes = evaluate(self.h, [event(action="a"), event(action="b")], {"*:1": "over its time"})
        raised = [(o["eventIndex"], o["errorType"], o["message"]) for o in outcomes if o["ruleId"] == "T.Raises"]
        self.assertEqual(raised, [(0, "DetectionAborted", "over its time"), (1, "DetectionAborted", "over its time")])

    def test_empty_refused_json_is_allowed(self):
        self.assertEqual(len(json.loads(self.h.evaluate_batch(json.dumps([event(action="delete")]), ""))), 2)


class DataModelTest(unittest.TestCase):
    def test_the_data_model_of_the_event_log_type_backs_udm(self):
        h = Harness()
        model = {"id": "Test.DM", "enabled": True, "logTypes": [LOG_TYPE],
                 "mappings": [{"name": "actor_user", "path": "$.actor.name"}], "source": None, "filename": None}
        rule = rule_spec("T.Udm", "def rule(event):\n    return event.udm('actor_user') == 'homer'\n")
        self.assertEqual(json.loads(h.load_content(payload_json([rule], data_models=[model])))["loadErrors"], [])
        outcomes = evaluate(h, [event(actor={"name": "homer"}), event(actor={"name": "marge"})])
        self.assertEqual([o["eventIndex"] for o in outcomes], [0])

    def test_a_data_model_that_fails_to_load_fails_only_its_log_type(self):
        h = Harness()
        model = {"id": "Test.BadDM", "enabled": True, "logTypes": [LOG_TYPE],
                 "mappings": [{"name": "who", "method": "get_who"}], "source": "raise RuntimeError('dm broke')\n", "filename": "dm.py"}
        rules = [rule_spec("T.Udm", "def rule(event):\n    return event.udm('who') == 'x'\n"),
                 rule_spec("T.Plain", ALWAYS, log_types=["Other.Log"])]
        answer = json.loads(h.load_content(payload_json(rules, data_models=[model])))
        self.assertEqual([(e["kind"], e["id"], e["errorType"]) for e in answer["loadErrors"]], [("dataModel", "Test.BadDM", "RuntimeError")])
        outcomes = evaluate(h, [event(), {"p_log_type": "Other.Log"}])
        self.assertEqual([(o["ruleId"], o["kind"]) for o in outcomes], [("T.Udm", "error"), ("T.Plain", "match")])
        self.assertIn("dm broke", outcomes[0]["message"])


class TimingTest(unittest.TestCase):
    def setUp(self):
        self.h = Harness()
        self.h.load_content(payload_json([
            rule_spec("T.A", ALWAYS), rule_spec("T.B", NEVER),
            rule_spec("T.C", NEVER, log_types=["Other.Log"]),
        ]))

    def timed(self, events):
        ticks = iter(range(10_000))
        # A clock that moves one second per reading: each timed rule run then costs exactly 1 s.
        with mock.patch("time.perf_counter", lambda: float(next(ticks))):
            return evaluate(self.h, events, with_timings=True)

    def test_with_timings_answers_outcomes_and_rule_seconds(self):
        answer = evaluate(self.h, [event(), event()], with_timings=True)
        self.assertEqual(set(answer), {"outcomes", "ruleSeconds"})
        self.assertEqual([o["ruleId"] for o in answer["outcomes"]], ["T.A", "T.A"])
        self.assertEqual(set(answer["ruleSeconds"]), {"T.A", "T.B"})
        for seconds in answer["ruleSeconds"].values():
            self.assertIsInstance(seconds, float)
            self.assertGreaterEqual(seconds, 0.0)

    def test_without_timings_the_answer_is_the_outcome_list(self):
        self.assertIsInstance(evaluate(self.h, [event()]), list)

    def test_a_batch_of_one_is_measured_exactly(self):
        self.assertEqual(self.timed([event()])["ruleSeconds"], {"T.A": 1.0, "T.B": 1.0})

    def test_times_of_the_timed_events_are_scaled_to_all_events_per_log_type(self):
        # 20 events of Test.Log: events 0, 8 and 16 are timed (3 s per rule), scaled by 20/3.
        # 5 of Other.Log: only its first is timed (1 s), scaled by 5.
        events = [event() for _ in range(20)] + [{"p_log_type": "Other.Log"} for _ in range(5)]
        self.assertEqual(TIMING_STRIDE, 8)
        seconds = self.timed(events)["ruleSeconds"]
        self.assertAlmostEqual(seconds["T.A"], 20.0)
        self.assertAlmostEqual(seconds["T.B"], 20.0)
        self.assertAlmostEqual(seconds["T.C"], 5.0)

    def test_log_type_timing_scales_its_seconds(self):
        stats = LogTypeTiming()
        stats.seen, stats.timed = 10, 2
        stats.seconds_by_rule.update({"R": 0.5})
        into = {"R": 1.0}
        stats.scaled(into)
        self.assertEqual(into, {"R": 3.5})
        with self.assertRaises(AttributeError):
            stats.other = 1


class RunRuleTestsTest(unittest.TestCase):
    def test_results_for_a_passing_and_a_failing_test(self):
        h = Harness()
        h.load_content(payload_json([rule_spec("T.Match", MATCH)]))
        tests = [
            {"ruleId": "T.Match", "name": "deletes alert", "log": event(action="delete"), "expectedResult": True},
            {"ruleId": "T.Match", "name": "reads alert too", "log": event(action="read"), "expectedResult": True},
        ]
        results = json.loads(h.run_rule_tests(json.dumps(tests)))
        self.assertEqual(results, [
            {"ruleId": "T.Match", "name": "deletes alert", "passed": True},
            {"ruleId": "T.Match", "name": "reads alert too", "passed": False, "reason": "expected True, rule returned False"},
        ])

    def test_with_outcomes_and_a_refused_test(self):
        h = Harness()
        h.load_content(payload_json([rule_spec("T.Match", MATCH)]))
        tests = [{"ruleId": "T.Match", "name": n, "log": event(action="delete"), "expectedResult": True} for n in ("a", "b")]
        first, second = json.loads(h.run_rule_tests(json.dumps(tests), json.dumps({"1": "killed"}), True))
        self.assertTrue(first["passed"])
        self.assertEqual(first["outcome"]["kind"], "match")
        self.assertEqual(second["reason"], "rule raised DetectionAborted: killed")
        self.assertEqual(second["outcome"]["errorType"], "DetectionAborted")


class ModuleEntryPointsTest(unittest.TestCase):
    def test_the_module_functions_are_one_harness_bound_methods(self):
        owner = harness.load_content.__self__
        self.assertIsInstance(owner, Harness)
        self.assertIs(harness.evaluate_batch.__self__, owner)
        self.assertIs(harness.run_rule_tests.__self__, owner)
        self.assertFalse(hasattr(harness, "_content"))

    def test_harnesses_hold_their_own_content(self):
        first, second = Harness(), Harness()
        first.load_content(payload_json([rule_spec("T.First", ALWAYS)]))
        second.load_content(payload_json([rule_spec("T.Second", ALWAYS)]))
        self.assertEqual([o["ruleId"] for o in evaluate(first, [event()])], ["T.First"])
        self.assertEqual([o["ruleId"] for o in evaluate(second, [event()])], ["T.Second"])

    def test_the_module_entry_points_load_and_evaluate(self):
        previous = harness.load_content.__self__.content
        try:
            answer = json.loads(harness.load_content(payload_json([rule_spec("T.Module", ALWAYS)]), "{}"))
            self.assertEqual(answer, {"loadErrors": [], "rules": 1})
            outcomes = json.loads(harness.evaluate_batch(json.dumps([event()]), "{}", False))
            self.assertEqual([o["ruleId"] for o in outcomes], ["T.Module"])
        finally:
            harness.load_content.__self__.content = previous


if __name__ == "__main__":
    unittest.main()
