"""The Tests of rules and policies: a test passes when rule() (policy()) returns
ExpectedResult and, when that raises an alert (True for a rule, False for a
policy), no auxiliary function failed; with ExpectedDestinations, also when
destinations() agrees with it."""

import contextlib
import re
from collections.abc import Mapping
from unittest import mock

from _caracal import supervision
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


def _returned_destinations(rule, event, outcome, unit_index):
    """What destinations() returned on the test's event: the match's (already
    checked) list, else, as the reference runs every auxiliary function in a
    test whatever the verdict, a call of its own. None when it is not defined,
    raised or returned something other than a list of str."""
    if outcome is not None and outcome.get("kind") == "match":
        return outcome["destinations"]
    func = rule.module.__dict__.get("destinations") if rule.module is not None else None
    if not callable(func):
        return None
    # Customer code: under the same supervision as the run itself.
    supervision.begin(unit_index, rule.index)
    try:
        value = func(event)
    except (Exception, SystemExit, supervision.DetectionTimeout, supervision.MemoryLimitExceeded):
        # A raising (or stopped) destinations() returned nothing.
        return None
    finally:
        supervision.end()
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return None
    return list(value)


# Stands for "alerts suppressed" (an empty list returned) when comparing.
_SUPPRESSED = "\0suppressed"


def _destinations_problem(expected, returned):
    """Compared as the reference compares them: an empty list expected means
    destinations() returned an empty list (suppression); otherwise the
    destinations returned, in any order. The reference takes a returned list
    with a name it does not know (one not expected) or a name twice as no
    destinations at all, and keeps at most ten."""
    want = sorted(expected) if expected else [_SUPPRESSED]
    if returned is None:
        got = []
    elif not returned:
        got = [_SUPPRESSED]
    elif len(set(returned)) != len(returned) or any(name not in expected for name in returned):
        got = []
    else:
        got = sorted(returned[:10])
    if want == got:
        return None
    shown = "nothing (None or not defined)" if returned is None else repr(list(returned))
    return f"ExpectedDestinations {list(expected)!r}, destinations() returned {shown}"


def _verdict(rule, test, outcome):
    """Why the test failed, judging the run's outcome; None when it passed."""
    if outcome is not None and outcome["kind"] == "error":
        message = f": {outcome['message']}" if outcome["message"] else ""
        return f"{rule.matcher} raised {outcome['errorType']}{message}{_where(outcome['traceback'])}"
    alerted = outcome is not None
    expected = test["expectedResult"]
    # ExpectedResult is what rule()/policy() returns; a policy alerts on False.
    expected_alert = expected == rule.alert_value
    if alerted != expected_alert:
        returned = alerted if rule.alert_value else not alerted
        return f"expected {expected}, {rule.matcher} returned {returned}"
    if alerted and outcome["auxErrors"]:
        return "auxiliary function failed: " + "; ".join(outcome["auxErrors"])
    return None


def run_test(content, test, unit_index=-1, refused=None):
    """(why the test failed or None, the detection's outcome: the match or error
    streaming would report, or None when it did not alert or never ran).
    test["kind"] "policy": a policy's test (its Resource in "log")."""
    is_policy = test.get("kind") == "policy"
    detections = content.policies if is_policy else content.rules
    rule = detections.get(test["ruleId"])
    if rule is None:
        return f"{'policy' if is_policy else 'rule'} {test['ruleId']!r} is not loaded", None
    if rule.load_error is not None:
        error = rule.load_error
        reason = f"{rule.matcher} module failed to load: {error['errorType']}: {error['message']}{_where(error['traceback'])}"
        return reason, error_outcome(rule, error)
    log = test["log"]
    if not isinstance(log, Mapping):
        return f"{'Resource' if is_policy else 'Log'} is not a mapping", None
    if is_policy:
        # The reference hands a policy its resource as a plain dict: no data model, no immutability.
        event = log
    else:
        # The data model of the log's own p_log_type, none without one (as the
        # reference tests do); a scheduled rule's rows never get one. Only a
        # detection tried on given events (the API) falls back to its first LogType.
        log_type = log.get("p_log_type")
        if not log_type and test.get("logTypeFallback") and rule.log_types:
            log_type = rule.log_types[0]
        model = None if test.get("scheduled") or not log_type else content.data_model_for(log_type)
        event = PantherEvent(log, model)
    if refused is not None:
        return f"{rule.matcher} raised DetectionAborted: {refused}", skipped(rule, refused)
    expected_destinations = test.get("expectedDestinations")
    with contextlib.ExitStack() as stack:
        problem = _mocked(rule.module, test.get("mocks") or [], stack)
        if problem:
            return problem, None
        outcome = run_detection(rule, event, unit_index)
        returned = None
        if expected_destinations is not None and (outcome is None or outcome["kind"] == "match"):
            returned = _returned_destinations(rule, event, outcome, unit_index)
    reason = _verdict(rule, test, outcome)
    if reason is None and expected_destinations is not None:
        reason = _destinations_problem(expected_destinations, returned)
    return reason, outcome


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
