"""A person changed something in the console from outside the company networks
(directly or behind a proxy that says so in X-Forwarded-For)."""

import ipaddress

from bench_audit_helpers import actor_label, audit_context

CORPORATE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "192.0.2.0/24", "2001:db8:1::/48")
)
CHANGE_VERBS = frozenset({"CREATE", "UPDATE", "DELETE", "RESET", "SUPPRESS"})


def _outside(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not ip.is_private or not any(ip in net for net in CORPORATE_NETWORKS if net.version == ip.version)


def _addresses(event):
    found = [event.udm("source_ip")]
    forwarded = event.deep_walk("XForwardedFor", default=[])
    found.extend([forwarded] if isinstance(forwarded, str) else forwarded)
    return [a for a in found if isinstance(a, str)]


def rule(event):
    if event.deep_get("actor", "type") != "USER":
        return False
    verb = str(event.get("actionName", "")).split("_", 1)[0]
    if verb not in CHANGE_VERBS:
        return False
    return any(_outside(a) for a in _addresses(event))


def title(event):
    outside = next(a for a in _addresses(event) if _outside(a))
    action = event.get("actionName", "").replace("_", " ").lower()
    return f"{actor_label(event)} did '{action}' from {outside}, outside the company networks"


def dedup(event):
    outside = next(a for a in _addresses(event) if _outside(a))
    network = ipaddress.ip_network(f"{outside}/{24 if ':' not in outside else 64}", strict=False)
    return f"{actor_label(event)}@{network}"


def alert_context(event):
    return audit_context(event, outside_addresses=[a for a in _addresses(event) if _outside(a)])
