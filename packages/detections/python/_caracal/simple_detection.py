"""A YAML-only rule (`Detection:` instead of Python) as a module of the shape
run_detection expects: rule() evaluates the match expressions, and AlertTitle,
AlertContext, GroupBy and DynamicSeverities become title(), alert_context(),
dedup() and severity(). The auxiliary-function machinery (defaults, checks,
limits) is then the same as for a Python rule."""

import json
import re
import types

from _caracal.match_expression import compile_all, compile_key, value_of
from panther_core.immutable import thaw

# `{path}` in AlertTitle: an event value, by the same dotted path as KeyPath.
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _shown(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(thaw(value), separators=(",", ":"), default=str)
    except (TypeError, ValueError):
        return str(value)


def _title(template):
    getters = {}
    for name in _PLACEHOLDER.findall(template):
        getters.setdefault(name, compile_key({"KeyPath": name.strip()}))

    def title(event):
        return _PLACEHOLDER.sub(lambda m: _shown(value_of(getters[m.group(1)], event)), template)
    return title


def _alert_context(entries):
    getters = [(entry["KeyName"], compile_key(entry["KeyValue"])) for entry in entries]

    def alert_context(event):
        return {name: thaw(value_of(getter, event)) for name, getter in getters}
    return alert_context


def _dedup(keys):
    getters = [compile_key(key) for key in keys]

    def dedup(event):
        # JSON keeps the values apart: ["a-b", "c"] and ["a", "b-c"] group differently.
        return json.dumps([thaw(value_of(getter, event)) for getter in getters], separators=(",", ":"), default=str)
    return dedup


def _severity(levels):
    compiled = [(level["ChangeTo"], compile_all(level.get("Conditions") or [])) for level in levels]

    def severity(event):
        for change_to, matches in compiled:
            if matches(event):
                return change_to
        return "DEFAULT"
    return severity


def build_module(rule_id, spec):
    """spec: {"detection": [...], "alertTitle"?, "alertContext"?, "groupBy"?, "dynamicSeverities"?}."""
    module = types.ModuleType(f"_simple_{rule_id}")
    matches = compile_all(spec.get("detection") or [])
    module.rule = lambda event: bool(matches(event))
    if spec.get("alertTitle"):
        module.title = _title(spec["alertTitle"])
    if spec.get("alertContext"):
        module.alert_context = _alert_context(spec["alertContext"])
    if spec.get("groupBy"):
        module.dedup = _dedup(spec["groupBy"])
    if spec.get("dynamicSeverities"):
        module.severity = _severity(spec["dynamicSeverities"])
    return module
