"""Panther's YAML match expressions (the language of a simple detection's
`Detection` and of any rule's `InlineFilters`), evaluated on one event.

The host validated the expressions when it loaded the spec (match-expression.ts):
here they are compiled once per rule into closures and run on each event.
Evaluation never raises for data it does not expect (a missing key, a number
where a string was expected): such a comparison is simply false, as a filter
in Panther is. Only a construct the host let through by mistake raises, at
compile time, so the rule fails to load with the reason.
"""

import ipaddress
import re
from collections.abc import Mapping

from panther_core.immutable import ImmutableList

_LISTS = (list, tuple, ImmutableList)
_MISSING = object()
_KEY_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\*|-?\d+)\]")


class MatchExpressionError(ValueError):
    """A construct the evaluator does not know (the host should have refused it)."""


# --- key specifiers -----------------------------------------------------------


def _child(value, key):
    if isinstance(value, Mapping):
        # .get, not [], so a PantherEvent's case-insensitive lookup applies.
        return value.get(key, _MISSING)
    return _MISSING


def _parse_key_path(path):
    parts = []
    for segment in path.split("."):
        if segment == "":
            raise MatchExpressionError(f"KeyPath {path!r} has an empty segment")
        consumed = 0
        for match in _KEY_PATH_PART.finditer(segment):
            if match.start() != consumed:
                raise MatchExpressionError(f"KeyPath {path!r} cannot be read at {segment!r}")
            consumed = match.end()
            name, index = match.groups()
            if name is not None:
                parts.append(("key", name))
            elif index == "*":
                parts.append(("all", None))
            else:
                parts.append(("index", int(index)))
        if consumed != len(segment):
            raise MatchExpressionError(f"KeyPath {path!r} cannot be read at {segment!r}")
    return parts


def _walk(value, parts):
    """The value at `parts`, or _MISSING. A `[*]` projects the rest of the path
    over each element and gives the list of what was found (jmespath's
    projection, which Panther's filters use), flattened one level per `[*]`."""
    for i, (kind, arg) in enumerate(parts):
        if value is _MISSING or value is None:
            return _MISSING
        if kind == "key":
            value = _child(value, arg)
        elif kind == "index":
            if not isinstance(value, _LISTS):
                return _MISSING
            try:
                value = value[arg]
            except IndexError:
                return _MISSING
        else:
            if not isinstance(value, _LISTS):
                return _MISSING
            rest = parts[i + 1:]
            found = []
            for element in value:
                item = _walk(element, rest)
                if item is _MISSING or item is None:
                    continue
                if rest and any(k == "all" for k, _ in rest) and isinstance(item, _LISTS):
                    found.extend(item)
                else:
                    found.append(item)
            return found
    return value


def compile_key(spec):
    """A function of the event giving the value a key specifier names, or _MISSING."""
    if "Key" in spec:
        name = spec["Key"]
        return lambda event: _child(event, name)
    if "DeepKey" in spec:
        # A number in a DeepKey indexes a list, as deep_get's path does.
        parts = [("index", part) if isinstance(part, int) else ("key", str(part)) for part in spec["DeepKey"]]
        return lambda event: _walk(event, parts)
    if "KeyPath" in spec:
        parts = _parse_key_path(spec["KeyPath"])
        return lambda event: _walk(event, parts)
    raise MatchExpressionError("no key specifier (Key, DeepKey or KeyPath)")


def value_of(getter, event):
    """The named value, None when it is absent: what templates and alert context show."""
    value = getter(event)
    return None if value is _MISSING else value


# --- conditions ---------------------------------------------------------------


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _both_str(a, b):
    return isinstance(a, str) and isinstance(b, str)


def _equals(a, b):
    if a is _MISSING:
        return False
    return a == b


def _iequals(a, b):
    if a is _MISSING:
        return False
    if _both_str(a, b):
        return a.lower() == b.lower()
    return a == b


def _contains(a, b, fold=False):
    # A string holds a substring; a list holds the value, or (for a string
    # value) an element that holds it, as Panther's `contains` filter does.
    if fold:
        b = _lower(b)
    if isinstance(a, str):
        return isinstance(b, str) and b in (a.lower() if fold else a)
    if isinstance(a, _LISTS):
        items = [_lower(x) if fold else x for x in a]
        if b in items:
            return True
        return isinstance(b, str) and any(isinstance(x, str) and b in x for x in items)
    return False


def _string_test(test, fold=False):
    def run(a, b):
        if not _both_str(a, b):
            return False
        return test(a.lower(), b.lower()) if fold else test(a, b)
    return run


def _ordered(test):
    def run(a, b):
        if a is _MISSING or a is None or isinstance(a, bool) or isinstance(b, bool):
            return False
        try:
            return bool(test(a, b))
        except TypeError:
            # "10" against 5: not comparable, so not greater (nor less).
            return False
    return run


def _network(value):
    try:
        return ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        return None


def _in_cidr(a, b):
    address = _network(a) if isinstance(a, str) else None
    network = _network(b) if isinstance(b, str) else None
    if address is None or network is None or address.version != network.version:
        return False
    return address.subnet_of(network)


def _ip_property(name):
    def run(a, _b):
        if not isinstance(a, str):
            return False
        try:
            return bool(getattr(ipaddress.ip_address(a), name))
        except ValueError:
            return False
    return run


def _negated(test):
    return lambda a, b: not test(a, b)


def _null_or_empty(a, _b):
    if a is _MISSING or a is None:
        return True
    return hasattr(a, "__len__") and len(a) == 0


# Condition -> test(event value or _MISSING, Value). The negations are true
# where the positive is false, missing keys included (Panther's `!=` filter).
SCALAR_CONDITIONS = {
    "Equals": _equals,
    "DoesNotEqual": _negated(_equals),
    "IEquals": _iequals,
    "IDoesNotEqual": _negated(_iequals),
    "Contains": _contains,
    "DoesNotContain": _negated(_contains),
    "IContains": lambda a, b: _contains(a, b, fold=True),
    "IDoesNotContain": lambda a, b: not _contains(a, b, fold=True),
    "StartsWith": _string_test(str.startswith),
    "DoesNotStartWith": _negated(_string_test(str.startswith)),
    "IStartsWith": _string_test(str.startswith, fold=True),
    "IDoesNotStartWith": _negated(_string_test(str.startswith, fold=True)),
    "EndsWith": _string_test(str.endswith),
    "DoesNotEndWith": _negated(_string_test(str.endswith)),
    "IEndsWith": _string_test(str.endswith, fold=True),
    "IDoesNotEndWith": _negated(_string_test(str.endswith, fold=True)),
    "IsGreaterThan": _ordered(lambda a, b: a > b),
    "IsGreaterThanOrEquals": _ordered(lambda a, b: a >= b),
    "IsLessThan": _ordered(lambda a, b: a < b),
    "IsLessThanOrEquals": _ordered(lambda a, b: a <= b),
    "IsIPAddressInCIDR": _in_cidr,
    "IsIPAddressNotInCIDR": _negated(_in_cidr),
}

# Conditions on the value alone (no Value key).
VALUE_FREE_CONDITIONS = {
    "Exists": lambda a, _b: a is not _MISSING,
    "DoesNotExist": lambda a, _b: a is _MISSING,
    "IsNull": lambda a, _b: a is _MISSING or a is None,
    "IsNotNull": lambda a, _b: a is not _MISSING and a is not None,
    "IsNullOrEmpty": _null_or_empty,
    "IsNotNullOrEmpty": _negated(_null_or_empty),
    "IsIPAddressPublic": _ip_property("is_global"),
    "IsIPAddressPrivate": _ip_property("is_private"),
}

LIST_CONDITIONS = {"IsIn", "IsNotIn"}
ELEMENT_CONDITIONS = {"AnyElement", "AllElements", "OnlyOneElement", "NoElement"}
ABSOLUTE_CONDITIONS = {"AlwaysTrue": True, "AlwaysFalse": False}
COMBINATORS = ("All", "Any", "OnlyOne", "None")
KEY_SPECIFIERS = ("Key", "DeepKey", "KeyPath")


def _is_member(a, values):
    if a is _MISSING:
        return False
    try:
        return a in values
    except TypeError:
        return False


# --- compilation ----------------------------------------------------------------


def _compile_combinator(name, parts):
    tests = [compile_expression(part) for part in parts]
    if not tests:
        # An empty group excludes nothing: Panther treats an empty filter as a no-op.
        return lambda event: True
    if name == "All":
        return lambda event: all(test(event) for test in tests)
    if name == "Any":
        return lambda event: any(test(event) for test in tests)
    if name == "None":
        return lambda event: not any(test(event) for test in tests)
    return lambda event: sum(1 for test in tests if test(event)) == 1


def _compile_elements(getter, condition, expressions):
    inner = compile_all(expressions)

    def run(event):
        items = getter(event)
        if not isinstance(items, _LISTS):
            # No list to look into: no element matches.
            return condition == "NoElement"
        matches = sum(1 for item in items if inner(item))
        if condition == "AnyElement":
            return matches > 0
        if condition == "AllElements":
            return len(items) > 0 and matches == len(items)
        if condition == "OnlyOneElement":
            return matches == 1
        return matches == 0
    return run


def _compile_multi_key(condition, values):
    test = SCALAR_CONDITIONS.get(condition)
    if test is None or len(values) != 2:
        raise MatchExpressionError(f"multi-key condition {condition!r} over {len(values)} keys")
    left, right = compile_key(values[0]), compile_key(values[1])

    def run(event):
        b = right(event)
        return False if b is _MISSING else test(left(event), b)
    return run


def compile_expression(spec):
    """A function event -> bool for one match expression (a mapping)."""
    if not isinstance(spec, Mapping):
        raise MatchExpressionError(f"a match expression is a mapping, got {type(spec).__name__}")
    for name in COMBINATORS:
        if name in spec:
            return _compile_combinator(name, spec[name])
    condition = spec.get("Condition")
    if condition in ABSOLUTE_CONDITIONS:
        result = ABSOLUTE_CONDITIONS[condition]
        return lambda event: result
    if not any(key in spec for key in KEY_SPECIFIERS):
        if isinstance(spec.get("Values"), list):
            return _compile_multi_key(condition, spec["Values"])
        raise MatchExpressionError("no key specifier (Key, DeepKey or KeyPath)")
    getter = compile_key(spec)
    if condition in ELEMENT_CONDITIONS:
        return _compile_elements(getter, condition, spec.get("Expressions") or [])
    if condition in LIST_CONDITIONS:
        values = list(spec.get("Values") or [])
        if condition == "IsIn":
            return lambda event: _is_member(getter(event), values)
        return lambda event: not _is_member(getter(event), values)
    if condition in VALUE_FREE_CONDITIONS:
        test = VALUE_FREE_CONDITIONS[condition]
        return lambda event: test(getter(event), None)
    test = SCALAR_CONDITIONS.get(condition)
    if test is None:
        raise MatchExpressionError(f"unknown Condition {condition!r}")
    value = spec.get("Value")
    return lambda event: test(getter(event), value)


def compile_all(specs):
    """A list of match expressions is an implicit All."""
    return _compile_combinator("All", list(specs or []))
