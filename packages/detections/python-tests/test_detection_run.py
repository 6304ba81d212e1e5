"""One detection on one event: the auxiliary functions, their defaults and limits."""

import unittest

from _caracal.detection_run import MAX_ALERT_CONTEXT_BYTES, MAX_DESTINATIONS, MAX_TEXT_BYTES, run_detection
from caracal_test_support import event, loaded, rule_spec
from panther_core.enriched_event import PantherEvent

RULE = "def rule(event):\n    return True\n"


def run(source, raw=None, **fields):
    rule = loaded([rule_spec("T.Run", source, **fields)]).rules["T.Run"]
    return run_detection(rule, PantherEvent(raw if raw is not None else event(user="homer")))


class TitleAndDedupTest(unittest.TestCase):
    def test_without_title_the_display_name_or_the_id_and_a_default_dedup(self):
        outcome = run(RULE)
        self.assertEqual((outcome["title"], outcome["dedup"]), ("T.Run", "defaultDedupString:T.Run"))
        self.assertEqual(run(RULE, displayName="Shown Name")["title"], "Shown Name")

    def test_the_dedup_defaults_to_the_title(self):
        outcome = run(RULE + "def title(event):\n    return 'by ' + event['user']\n")
        self.assertEqual((outcome["title"], outcome["dedup"], outcome["auxErrors"]), ("by homer", "by homer", []))

    def test_an_empty_title_falls_back_to_the_default(self):
        self.assertEqual(run(RULE + "def title(event):\n    return ''\n", displayName="Named")["title"], "Named")

    def test_a_title_that_is_not_a_string_is_an_aux_error(self):
        outcome = run(RULE + "def title(event):\n    return 5\n")
        self.assertEqual(outcome["title"], "T.Run")
        self.assertEqual(outcome["auxErrors"], ["title: returned int, expected str"])

    def test_a_raising_title_is_an_aux_error_and_the_dedup_still_defaults_to_the_title(self):
        outcome = run(RULE + "def title(event):\n    raise KeyError('k')\n")
        self.assertEqual(outcome["kind"], "match")
        self.assertEqual((outcome["title"], outcome["dedup"]), ("T.Run", "T.Run"))
        self.assertEqual(outcome["auxErrors"], ["title: KeyError: 'k'"])

    def test_long_title_and_dedup_are_cut_to_the_limit_with_a_marker(self):
        outcome = run(RULE + "def title(event):\n    return 'x' * 1500\ndef dedup(event):\n    return 'y' * 1500\n")
        self.assertEqual(len(outcome["title"].encode()), MAX_TEXT_BYTES)
        self.assertTrue(outcome["title"].endswith("\u2026 [truncated, 1500 bytes]"))
        # The dedup marker leaves the size out so that values alike in their first kilobyte group together.
        self.assertEqual(len(outcome["dedup"].encode()), MAX_TEXT_BYTES)
        self.assertTrue(outcome["dedup"].endswith("y\u2026 [truncated]"))


class SeverityTest(unittest.TestCase):
    def test_severity_is_normalised_and_defaults_to_the_rule_severity(self):
        self.assertEqual(run(RULE + "def severity(event):\n    return ' high '\n")["severity"], "HIGH")
        self.assertEqual(run(RULE + "def severity(event):\n    return 'Default'\n", severity="LOW")["severity"], "LOW")
        self.assertEqual(run(RULE, severity="CRITICAL")["severity"], "CRITICAL")

    def test_an_unknown_severity_is_an_aux_error(self):
        outcome = run(RULE + "def severity(event):\n    return 'urgent'\n")
        self.assertEqual(outcome["severity"], "MEDIUM")
        self.assertEqual(outcome["auxErrors"], ["severity: invalid value 'urgent'"])


class AlertContextTest(unittest.TestCase):
    def test_event_views_and_sets_become_plain_json(self):
        outcome = run(RULE + "def alert_context(event):\n    return {'tags': {'a'}, 'event': event, 'n': 1}\n")
        self.assertEqual(outcome["alertContext"], {"tags": ["a"], "event": {"p_log_type": "Test.Log", "user": "homer"}, "n": 1})
        self.assertEqual(outcome["auxErrors"], [])

    def test_a_context_that_is_not_a_mapping_or_not_serialisable_is_dropped(self):
        outcome = run(RULE + "def alert_context(event):\n    return [1]\n")
        self.assertEqual((outcome["alertContext"], outcome["auxErrors"]), ({}, ["alert_context: returned list, expected a mapping"]))
        outcome = run(RULE + "def alert_context(event):\n    return {'x': object()}\n")
        self.assertEqual(outcome["alertContext"], {})
        self.assertEqual(outcome["auxErrors"], ["alert_context: not JSON-serialisable: object is not JSON serialisable"])

    def test_a_context_over_the_limit_is_replaced_by_an_error_note(self):
        outcome = run(RULE + "def alert_context(event):\n    return {'x': 'y' * 300000}\n")
        self.assertEqual(outcome["alertContext"], {
            "_error": f"alert_context is 300008 bytes serialised, over the limit of {MAX_ALERT_CONTEXT_BYTES}",
        })


class DestinationsTest(unittest.TestCase):
    def test_at_most_ten_destinations_are_kept(self):
        outcome = run(RULE + "def destinations(event):\n    return [str(i) for i in range(12)]\n")
        self.assertEqual(outcome["destinations"], [str(i) for i in range(MAX_DESTINATIONS)])
        self.assertEqual(outcome["auxErrors"], ["destinations: 12 given, kept the first 10"])

    def test_a_string_or_non_string_items_are_refused(self):
        outcome = run(RULE + "def destinations(event):\n    return 'slack'\n")
        self.assertEqual((outcome["destinations"], outcome["auxErrors"]), (None, ["destinations: returned str, expected a list"]))
        outcome = run(RULE + "def destinations(event):\n    return ['slack', 3]\n")
        self.assertEqual((outcome["destinations"], outcome["auxErrors"]), (None, ["destinations: every destination must be a str"]))


class RuleResultTest(unittest.TestCase):
    def test_false_is_no_outcome_and_a_non_bool_is_an_error(self):
        self.assertIsNone(run("def rule(event):\n    return False\n"))
        self.assertEqual(run("def rule(event):\n    return 'yes'\n"), {
            "kind": "error", "ruleId": "T.Run", "errorType": "TypeError", "message": "rule() returned str, expected bool", "traceback": "",
        })

    def test_the_description_reference_and_runbook_default_to_the_spec(self):
        outcome = run(RULE + "def runbook(event):\n    return 'call ' + event['user']\n", description="Desc", reference="https://ref")
        self.assertEqual((outcome["description"], outcome["reference"], outcome["runbook"]), ("Desc", "https://ref", "call homer"))


if __name__ == "__main__":
    unittest.main()
