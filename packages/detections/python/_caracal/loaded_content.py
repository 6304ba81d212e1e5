"""The content of one interpreter: rules as modules indexed by log type, data
models by log type, globals on the import path."""

from _caracal import content_modules, simple_detection, supervision
from _caracal.detection_run import aborted
from _caracal.failures import describe
from _caracal.inline_filters import compile_filters
from panther_core.data_model import DataModel, DataModelError


# The unit index a load reports, so that the host can tell a load from a run.
LOAD_UNIT = -1


class LoadedRule:
    """A rule, or a policy (`matcher` "policy": it alerts when that returns False)."""

    __slots__ = (
        "rule_id", "enabled", "log_types", "severity", "display_name",
        "description", "reference", "runbook", "module", "load_error", "index",
        "matcher", "alert_value", "filters",
    )

    def __init__(self, spec, index, refused=None, matcher="rule"):
        self.matcher = matcher
        self.alert_value = matcher == "rule"
        self.filters = None
        self.rule_id = spec["id"]
        self.enabled = spec["enabled"]
        self.log_types = list(spec.get("logTypes") or [])
        self.severity = spec["severity"]
        self.display_name = spec.get("displayName") or ""
        self.description = spec.get("description") or ""
        self.reference = spec.get("reference") or ""
        self.runbook = spec.get("runbook") or ""
        self.index = index
        self.module = None
        self.load_error = None
        if refused is not None:
            self.load_error = aborted(refused)
            return
        # Module-level code is customer code too: supervised like a run.
        supervision.begin(LOAD_UNIT, index)
        try:
            # Filters and YAML detections were validated by the host; compiling
            # them cannot run customer code, but a failure is still this rule's alone.
            self.filters = compile_filters(spec.get("inlineFilters"))
            if spec.get("simpleDetection") is not None:
                module = simple_detection.build_module(self.rule_id, spec["simpleDetection"])
            else:
                prefix = "_policy_" if matcher == "policy" else "_rule_"
                module = content_modules.load_module(prefix, self.rule_id, spec["source"], spec["filename"])
        except (Exception, SystemExit, supervision.DetectionTimeout, supervision.MemoryLimitExceeded) as exc:
            self.load_error = describe(exc)
            return
        finally:
            supervision.end()
        if not callable(getattr(module, matcher, None)):
            self.load_error = {
                "errorType": "AttributeError",
                "message": f"{spec['filename']} defines no {matcher}({'resource' if matcher == 'policy' else 'event'}) function",
                "traceback": "",
            }
            return
        self.module = module


class UnavailableDataModel(DataModel):
    """Stands in for a data model whose module failed, so that only the
    detections that use it fail, and with the reason."""

    def __init__(self, data_model_id, reason):
        super().__init__(data_model_id, [])
        self.reason = reason

    def resolve(self, event, name):
        raise DataModelError(f"data model {self.data_model_id!r} failed to load: {self.reason}")


def _load_data_model(spec):
    module = None
    if spec.get("source") is not None:
        try:
            module = content_modules.load_module("_datamodel_", spec["id"], spec["source"], spec["filename"])
        except (Exception, SystemExit, supervision.DetectionTimeout, supervision.MemoryLimitExceeded) as exc:
            error = describe(exc)
            return UnavailableDataModel(spec["id"], f"{error['errorType']}: {error['message']}"), error
    try:
        return DataModel(spec["id"], spec["mappings"], module), None
    except Exception as exc:
        error = describe(exc)
        return UnavailableDataModel(spec["id"], f"{error['errorType']}: {error['message']}"), error


class LoadedContent:
    def __init__(self, payload, refused_rules=None):
        """refused_rules: {rule index: reason} of rules whose loading killed a
        worker before; they are not loaded again."""
        refused_rules = refused_rules or {}
        self.load_errors = []
        content_modules.install_globals(payload.get("globals", []))

        self.data_models = {}
        for spec in payload.get("dataModels", []):
            if not spec.get("enabled", True):
                continue
            model, error = _load_data_model(spec)
            if error:
                self.load_errors.append({"kind": "dataModel", "id": spec["id"], **error})
            for log_type in spec["logTypes"]:
                self.data_models[log_type] = model

        self.rules = {}
        self.rules_by_index = []
        self.enabled_by_log_type = {}
        for index, spec in enumerate(payload.get("rules", [])):
            rule = LoadedRule(spec, index, refused_rules.get(index))
            self.rules[rule.rule_id] = rule
            self.rules_by_index.append(rule)
            if rule.load_error:
                self.load_errors.append({"kind": "rule", "id": rule.rule_id, **rule.load_error})
            if rule.enabled:
                for log_type in rule.log_types:
                    self.enabled_by_log_type.setdefault(log_type, []).append(rule)

        # Policies are only in the payload of test runs (nothing evaluates
        # resources on the stream yet); their indexes follow the rules'.
        self.policies = {}
        for spec in payload.get("policies", []):
            index = len(self.rules_by_index)
            policy = LoadedRule(spec, index, refused_rules.get(index), matcher="policy")
            self.policies[policy.rule_id] = policy
            self.rules_by_index.append(policy)
            if policy.load_error:
                self.load_errors.append({"kind": "rule", "id": policy.rule_id, **policy.load_error})

    def data_model_for(self, log_type):
        return self.data_models.get(log_type)
