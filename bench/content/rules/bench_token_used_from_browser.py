"""An API token used by a browser: tokens belong in scripts and pipelines, so a
browser user agent suggests a token copied out of its vault."""

import re

from bench_audit_helpers import actor_label, audit_context

BROWSER = re.compile(r"\b(Mozilla/\d|Chrome/\d|Safari/\d|Firefox/\d|Edg/\d)")
AUTOMATION = re.compile(r"^(python-requests|Go-http-client|curl|terraform|caracal-cli)/", re.IGNORECASE)


def rule(event):
    if event.deep_get("actor", "type") != "TOKEN":
        return False
    agent = event.udm("user_agent") or ""
    return bool(BROWSER.search(agent)) and not AUTOMATION.match(agent)


def title(event):
    return f"API token {actor_label(event)} used from a browser ({event.get('actionName')})"


def dedup(event):
    return f"token:{event.deep_get('actor', 'id')}"


def alert_context(event):
    return audit_context(event, token_id=event.deep_get("actor", "id"))
