"""Single sign-on or multi-factor authentication was switched off or made
optional, so accounts can sign in with a password alone."""

from panther_audit_helpers import actor_context, actor_description, actor_key, input_mappings, succeeded

# setting name -> (the value that weakens sign-in, what that means).
# Clients write these flat in the input or inside one nested settings object
# (e.g. {"samlSettings": {...}}); names vary between console versions.
SAML_WEAKENING = {
    "enabled": (False, "SAML single sign-on disabled"),
    "enforced": (False, "SAML single sign-on no longer enforced"),
    "enforceSso": (False, "SAML single sign-on no longer enforced"),
    "ssoEnforced": (False, "SAML single sign-on no longer enforced"),
    "requireSso": (False, "SAML single sign-on no longer enforced"),
    "allowPasswordLogin": (True, "password sign-in allowed besides SSO"),
}
GENERAL_WEAKENING = {
    "mfaEnforced": (False, "MFA no longer enforced"),
    "enforceMfa": (False, "MFA no longer enforced"),
    "mfaRequired": (False, "MFA no longer required"),
    "requireMfa": (False, "MFA no longer required"),
    "mfaEnabled": (False, "MFA disabled"),
    "allowPasswordLogin": (True, "password sign-in allowed"),
}
WEAKENING_BY_ACTION = {
    "UPDATE_SAML_SETTINGS": SAML_WEAKENING,
    # "enabled" alone means nothing in the general settings, so it is only read
    # for SAML; the general settings hold the MFA switches.
    "UPDATE_GENERAL_SETTINGS": GENERAL_WEAKENING,
}


def weakenings(event):
    table = WEAKENING_BY_ACTION.get(event.get("actionName"), {})
    found = []
    for settings in input_mappings(event):
        for name, (weak_value, meaning) in table.items():
            value = settings.get(name)
            # Only a real boolean: a missing setting is left unchanged, not off.
            if isinstance(value, bool) and value is weak_value and meaning not in found:
                found.append(meaning)
    return found


def rule(event):
    return succeeded(event) and bool(weakenings(event))


def title(event):
    return f"{'; '.join(weakenings(event))} by {actor_description(event)}"


def dedup(event):
    return f"actor:{actor_key(event)}"


def alert_context(event):
    context = actor_context(event)
    context["weakened"] = weakenings(event)
    return context
