"""The Tests of rules and policies (rule_tests.run_tests)."""

import unittest

from _caracal.rule_tests import run_tests
from caracal_test_support import event, loaded, rule_spec

RULE = """
def rule(event):
    assert event['x'] != 0
    return event['x'] == 1 or is_special(event)

def is_special(event):
    return False

def destinations(event):
    return ['slack']
"""
POLICY = {
    "id": "P.Ok", "enabled": True, "severity": "LOW", "displayName": "", "description": "", "reference": "", "runbook": "",
    "source": "def policy(resource):\n    return resource['ok']\n", "filename": "policies/ok.py",
}


def test_case(name, expected, mocks=None, **fields):
    case = {"ruleId": "T.Tested", "name": name, "log": event(**fields), "expectedResult": expected}
    if mocks is not None:
        case["mocks"] = mocks
    return case


class RunTestsTest(unittest.TestCase):
    def setUp(self):
        self.content = loaded([rule_spec("T.Tested", RULE)], policies=[POLICY])

    def results(self, *cases):
        return run_tests(self.content, list(cases))

    def test_a_passing_and_a_failing_test(self):
        self.assertEqual(self.results(test_case("one alerts", True, x=1), test_case("two alerts", True, x=2)), [
            {"ruleId": "T.Tested", "name": "one alerts", "passed": True},
            {"ruleId": "T.Tested", "name": "two alerts", "passed": False, "reason": "expected True, rule returned False"},
        ])

    def test_a_bare_assert_names_the_line_it_failed_on(self):
        result, = self.results(test_case("zero", False, x=0))
        self.assertEqual(result["reason"], "rule raised AssertionError (at rules/T.Tested.py:3)")

    def test_mocks_replace_module_functions_for_the_test_only(self):
        mocked = test_case("mocked", True, mocks=[{"objectName": "is_special", "returnValue": True}], x=5)
        self.assertEqual([r["passed"] for r in self.results(mocked, test_case("after", False, x=5))], [True, True])
        bad = test_case("bad mock", True, mocks=[{"objectName": "nothere", "returnValue": 1}], x=1)
        self.assertEqual(self.results(bad)[0]["reason"], "mock objectName 'nothere' is not defined in the rule module")

    def test_expected_destinations(self):
        good = dict(test_case("slack", True, x=1), expectedDestinations=["slack"])
        bad = dict(test_case("pager", True, x=1), expectedDestinations=["pager"])
        self.assertEqual([r.get("reason") for r in self.results(good, bad)],
                         [None, "ExpectedDestinations ['pager'], destinations() returned ['slack']"])

    def test_policies_alert_on_false_and_unknown_ids_fail(self):
        cases = [
            {"ruleId": "P.Ok", "kind": "policy", "name": "fails", "log": {"ok": False}, "expectedResult": False},
            {"ruleId": "P.Ok", "kind": "policy", "name": "passes", "log": {"ok": True}, "expectedResult": False},
            {"ruleId": "T.Missing", "name": "missing", "log": event(), "expectedResult": True},
        ]
        self.assertEqual([(r["passed"], r.get("reason")) for r in run_tests(self.content, cases)], [
            (True, None),
            (False, "expected False, policy returned True"),
            (False, "rule 'T.Missing' is not loaded"),
        ])


if __name__ == "__main__":
    unittest.main()
