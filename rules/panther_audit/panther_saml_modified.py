"""The console's SAML single sign-on settings were changed: who may sign in,
with which identity provider and which default role, all hang on them."""

from collections.abc import Mapping

from panther_audit_helpers import action_input, actor_context, actor_description, actor_key, succeeded


def rule(event):
    return event.get("actionName") == "UPDATE_SAML_SETTINGS" and succeeded(event)


def title(event):
    return f"SAML settings modified by {actor_description(event)}"


def dedup(event):
    # Several saves in a row while someone edits the settings are one change.
    return f"actor:{actor_key(event)}"


def alert_context(event):
    context = actor_context(event)
    params = action_input(event)
    # The names of the settings sent, not their values: metadata can be large.
    context["fields_sent"] = sorted(str(key) for key in params) if isinstance(params, Mapping) else []
    return context
