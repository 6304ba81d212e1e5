"""SAML settings changed: whoever controls the identity provider settings
controls who can sign in."""

from bench_audit_helpers import action_input, actor_label, audit_context, succeeded


def rule(event):
    return event.udm("event_type") == "saml_config_modified" and succeeded(event)


def title(event):
    return f"SAML settings of the console modified by {actor_label(event)}"


def alert_context(event):
    settings = action_input(event).get("samlSettings", {})
    return audit_context(
        event,
        saml_enabled=settings.get("enabled"),
        default_role_id=settings.get("defaultRoleId"),
        idp_url=settings.get("idpUrl"),
    )
