"""The Tests of rule specs: a test passes when rule() returns ExpectedResult and,
when it returned True, no auxiliary function failed."""

import contextlib
import re
from collections.abc import Mapping
from unittest import mock

from _caracal.detection_run import error_outcome, run_detection, skipped
from panther_core.enriched_event import PantherEvent


_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def _where(traceback_text):
    # A bare `assert` has no message; the line it failed on is the useful part.
    frames = _FRAME.findall(traceback_text or "")
    return f" (at {frames[-1][0]}:{frames[-1][1]})" if frames else ""


def _mocked(module, mocks, stack):
    for item in mocks:
        name = item.get("objectName")
        if not isinstance(name, str) or not hasattr(module, name):
            return f"mock objectName {name!r} is not defined in the rule module"
        stack.enter_context(mock.patch.object(module, name, mock.MagicMock(return_value=item.get("returnValue"))))
    return None


def run_test(content, test, unit_index=-1, refused=None):
    """(why the test failed or None, the detection's outcome: the match or error
    streaming would report, or None when the rule did not match or never ran)."""
    rule = content.rules.get(test["ruleId"])
    if rule is None:
        return f"rule {test['ruleId']!r} is not loaded", None
    if rule.load_error is not None:
        error = rule.load_error
        reason = f"rule module failed to load: {error['errorType']}: {error['message']}{_where(error['traceback'])}"
        return reason, error_outcome(rule, error)
    log = test["log"]
    if not isinstance(log, Mapping):
        return "Log is not a mapping", None
    log_type = log.get("p_log_type") or (rule.log_types[0] if rule.log_types else None)
    event = PantherEvent(log, content.data_model_for(log_type))
    expected = test["expectedResult"]
    if refused is not None:
        return f"rule raised DetectionAborted: {refused}", skipped(rule, refused)
    with contextlib.ExitStack() as stack:
        problem = _mocked(rule.module, test.get("mocks") or [], stack)
        if problem:
            return problem, None
        outcome = run_detection(rule, event, unit_index)
    if outcome is not None and outcome["kind"] == "error":
        message = f": {outcome['message']}" if outcome["message"] else ""
        return f"rule raised {outcome['errorType']}{message}{_where(outcome['traceback'])}", outcome
    matched = outcome is not None
    if matched != expected:
        return f"expected {expected}, rule returned {matched}", outcome
    if matched and outcome["auxErrors"]:
        return "auxiliary function failed: " + "; ".join(outcome["auxErrors"]), outcome
    return None, outcome


def run_tests(content, tests, refused=None, with_outcomes=False):
    """refused: {test index: reason} of tests whose run killed a worker before.
    with_outcomes: each result also carries the detection's outcome, so that a
    detection can be tried on given events through the same path as its tests."""
    refused = refused or {}
    results = []
    for index, test in enumerate(tests):
        reason, outcome = run_test(content, test, index, refused.get(index))
        result = {"ruleId": test["ruleId"], "name": test["name"], "passed": reason is None}
        if reason is not None:
            result["reason"] = reason
        if with_outcomes:
            result["outcome"] = outcome
        results.append(result)
    return results
