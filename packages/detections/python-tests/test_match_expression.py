"""YAML match expressions (match_expression), YAML-only detections
(simple_detection) and InlineFilters (inline_filters)."""

import unittest

from _caracal.detection_run import run_detection
from _caracal.inline_filters import compile_filters
from _caracal.match_expression import MatchExpressionError, compile_all, compile_expression
from _caracal.simple_detection import build_module
from caracal_test_support import event, loaded, rule_spec
from panther_core.enriched_event import PantherEvent

EVENT = PantherEvent({
    "action": "DeleteUser",
    "count": 10,
    "sourceIP": "10.1.2.3",
    "actor": {"name": "homer", "roles": ["Admin", "dev"]},
    "items": [{"name": "a", "size": 1}, {"name": "b", "size": 5}],
})


def holds(spec, target=EVENT):
    return compile_expression(spec)(target)


class ConditionTest(unittest.TestCase):
    def test_equals_and_its_negation_on_a_missing_key(self):
        self.assertTrue(holds({"Key": "action", "Condition": "Equals", "Value": "DeleteUser"}))
        self.assertFalse(holds({"Key": "missing", "Condition": "Equals", "Value": None}))
        # The negations are true where the positive is false, missing keys included.
        self.assertTrue(holds({"Key": "missing", "Condition": "DoesNotEqual", "Value": "x"}))

    def test_case_folding_conditions(self):
        self.assertTrue(holds({"Key": "action", "Condition": "IEquals", "Value": "deleteuser"}))
        self.assertTrue(holds({"DeepKey": ["actor", "roles"], "Condition": "IContains", "Value": "ADMIN"}))
        self.assertFalse(holds({"DeepKey": ["actor", "roles"], "Condition": "Contains", "Value": "ADMIN"}))
        self.assertTrue(holds({"Key": "action", "Condition": "IStartsWith", "Value": "delete"}))

    def test_ordering_never_matches_values_of_other_types(self):
        self.assertTrue(holds({"Key": "count", "Condition": "IsGreaterThan", "Value": 5}))
        self.assertFalse(holds({"Key": "count", "Condition": "IsGreaterThan", "Value": "5"}))
        self.assertFalse(holds({"Key": "missing", "Condition": "IsLessThan", "Value": 5}))

    def test_membership_and_ip_conditions(self):
        self.assertTrue(holds({"Key": "action", "Condition": "IsIn", "Values": ["CreateUser", "DeleteUser"]}))
        self.assertTrue(holds({"Key": "sourceIP", "Condition": "IsIPAddressInCIDR", "Value": "10.0.0.0/8"}))
        self.assertFalse(holds({"Key": "sourceIP", "Condition": "IsIPAddressInCIDR", "Value": "192.168.0.0/16"}))
        self.assertTrue(holds({"Key": "sourceIP", "Condition": "IsIPAddressPrivate"}))
        self.assertFalse(holds({"Key": "action", "Condition": "IsIPAddressPrivate"}))

    def test_key_paths_project_over_lists(self):
        self.assertTrue(holds({"KeyPath": "items[*].name", "Condition": "Contains", "Value": "b"}))
        self.assertTrue(holds({"KeyPath": "items[1].size", "Condition": "Equals", "Value": 5}))
        self.assertFalse(holds({"KeyPath": "items[7].size", "Condition": "Exists"}))

    def test_element_conditions(self):
        big = [{"Key": "size", "Condition": "IsGreaterThan", "Value": 3}]
        self.assertTrue(holds({"Key": "items", "Condition": "AnyElement", "Expressions": big}))
        self.assertTrue(holds({"Key": "items", "Condition": "OnlyOneElement", "Expressions": big}))
        self.assertFalse(holds({"Key": "items", "Condition": "AllElements", "Expressions": big}))
        self.assertTrue(holds({"Key": "missing", "Condition": "NoElement", "Expressions": big}))

    def test_combinators(self):
        yes = {"Condition": "AlwaysTrue"}
        no = {"Condition": "AlwaysFalse"}
        self.assertTrue(holds({"Any": [no, yes]}))
        self.assertFalse(holds({"All": [yes, no]}))
        self.assertTrue(holds({"OnlyOne": [yes, no]}))
        self.assertFalse(holds({"OnlyOne": [yes, yes]}))
        self.assertTrue(holds({"None": [no]}))
        self.assertTrue(compile_all([])(EVENT))

    def test_unknown_constructs_fail_at_compile_time(self):
        with self.assertRaisesRegex(MatchExpressionError, "unknown Condition 'Resembles'"):
            compile_expression({"Key": "a", "Condition": "Resembles", "Value": 1})
        with self.assertRaisesRegex(MatchExpressionError, "no key specifier"):
            compile_expression({"Condition": "Equals", "Value": 1})
        with self.assertRaisesRegex(MatchExpressionError, "empty segment"):
            compile_expression({"KeyPath": "a..b", "Condition": "Exists"})


class SimpleDetectionTest(unittest.TestCase):
    SPEC = {
        "detection": [{"Key": "action", "Condition": "Equals", "Value": "delete"}],
        "alertTitle": "{action} by {actor.name}{missing}",
        "alertContext": [{"KeyName": "who", "KeyValue": {"KeyPath": "actor.name"}}, {"KeyName": "none", "KeyValue": {"Key": "nope"}}],
        "groupBy": [{"Key": "action"}, {"DeepKey": ["actor", "name"]}],
        "dynamicSeverities": [{"ChangeTo": "HIGH", "Conditions": [{"Key": "actor", "Condition": "Exists"}]}],
    }

    def test_the_module_functions_follow_the_spec(self):
        module = build_module("S.Delete", self.SPEC)
        target = PantherEvent({"action": "delete", "actor": {"name": "homer"}})
        self.assertIs(module.rule(target), True)
        self.assertIs(module.rule(PantherEvent({"action": "read"})), False)
        self.assertEqual(module.title(target), "delete by homer")
        self.assertEqual(module.alert_context(target), {"who": "homer", "none": None})
        self.assertEqual(module.dedup(target), '["delete","homer"]')
        self.assertEqual(module.severity(target), "HIGH")
        self.assertEqual(module.severity(PantherEvent({"action": "delete"})), "DEFAULT")

    def test_a_yaml_rule_runs_through_the_same_path_as_a_python_rule(self):
        spec = rule_spec("S.Delete", None, simpleDetection=self.SPEC, severity="LOW")
        rule = loaded([spec]).rules["S.Delete"]
        self.assertIsNone(rule.load_error)
        outcome = run_detection(rule, PantherEvent(event(action="delete")))
        # No actor: the dynamic severity does not apply, so the rule's own.
        self.assertEqual((outcome["title"], outcome["severity"], outcome["dedup"]), ("delete by ", "LOW", '["delete",null]'))


class InlineFiltersTest(unittest.TestCase):
    def test_no_filters_compile_to_none(self):
        self.assertIsNone(compile_filters(None))
        self.assertIsNone(compile_filters([]))

    def test_an_excluded_event_never_reaches_rule(self):
        # rule() raises: any call of it would be an error outcome.
        spec = rule_spec("T.Filtered", "def rule(event):\n    raise AssertionError('called')\n",
                         inlineFilters=[{"Key": "env", "Condition": "Equals", "Value": "prod"}])
        rule = loaded([spec]).rules["T.Filtered"]
        self.assertIsNone(run_detection(rule, PantherEvent(event(env="dev"))))
        outcome = run_detection(rule, PantherEvent(event(env="prod")))
        self.assertEqual((outcome["kind"], outcome["errorType"]), ("error", "AssertionError"))

    def test_a_bad_filter_fails_the_rule_load_with_the_reason(self):
        spec = rule_spec("T.BadFilter", "def rule(event):\n    return True\n", inlineFilters=[{"Key": "x", "Condition": "Nope"}])
        rule = loaded([spec]).rules["T.BadFilter"]
        self.assertEqual(rule.load_error["errorType"], "MatchExpressionError")
        self.assertEqual(run_detection(rule, PantherEvent(event()))["message"], "unknown Condition 'Nope'")


if __name__ == "__main__":
    unittest.main()
