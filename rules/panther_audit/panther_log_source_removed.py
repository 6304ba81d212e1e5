"""A log source or cloud account was deleted or switched off, or the alarm
that reports a silent source was removed: the security tool stops seeing a
part of the estate, usually without anyone noticing."""

from panther_audit_helpers import actor_context, actor_description, actor_key, ids_in, input_field, input_mappings, succeeded

REMOVALS = {
    "DELETE_LOG_SOURCE": "Log source deleted",
    "DELETE_CLOUD_ACCOUNT": "Cloud account deleted",
    "DELETE_LOG_SOURCE_ALARM": "Log source alarm deleted",
}
# An update only counts when it explicitly switches the source off; Caracal's
# UPDATE_LOG_SOURCE (a secret rotation) carries no such flag and does not match.
UPDATES = {
    "UPDATE_LOG_SOURCE": "Log source disabled",
    "UPDATE_CLOUD_ACCOUNT": "Cloud account disabled",
}
ENABLED_FLAGS = ("enabled", "isEnabled")
SOURCE_ID_FIELDS = ("sourceId", "integrationId", "id", "ids", "name", "label")


def switched_off(event):
    for settings in input_mappings(event):
        for flag in ENABLED_FLAGS:
            if settings.get(flag) is False:
                return True
    return False


def what_happened(event):
    action = event.get("actionName")
    if action in REMOVALS:
        return REMOVALS[action]
    if action in UPDATES and switched_off(event):
        return UPDATES[action]
    return None


def source_ids(event):
    for field in SOURCE_ID_FIELDS:
        ids = ids_in(input_field(event, field))
        if ids:
            return ids
    return []


def rule(event):
    return succeeded(event) and what_happened(event) is not None


def severity(event):
    # The alarm only tells that a source went quiet; losing it is a weaker
    # signal than losing the source itself.
    return "LOW" if event.get("actionName") == "DELETE_LOG_SOURCE_ALARM" else "DEFAULT"


def title(event):
    ids = source_ids(event)
    which = f" '{ids[0]}'" if len(ids) == 1 else (f" ({len(ids)})" if ids else "")
    noun, _, verb = (what_happened(event) or "Log source changed").rpartition(" ")
    return f"{noun}{which} {verb} by {actor_description(event)}"


def dedup(event):
    return f"actor:{actor_key(event)}"


def alert_context(event):
    context = actor_context(event)
    context["source_ids"] = source_ids(event)
    context["change"] = what_happened(event)
    return context
