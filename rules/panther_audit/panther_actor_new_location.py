"""An account or token acting from a country (or, without geo enrichment, an
address) it has not used before: stolen credentials or a stolen session."""

import ipaddress
import time

from panther_detection_helpers.caching import get_string_set, put_string_set

from panther_audit_helpers import actor_context, actor_description, actor_key, is_automation, succeeded

# Remember an actor's locations for 30 days: a location unused for a month is
# new again. Written as an absolute epoch, which every cache reads the same way.
KNOWN_FOR_SECONDS = 30 * 24 * 3600

# Internal, loopback and carrier-grade NAT addresses say nothing about where
# the actor is (and Caracal's own API calls come from them in a single host).
NOT_A_LOCATION = [
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
]


def _address(event):
    value = event.get("sourceIP")
    if not isinstance(value, str):
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.is_loopback or address.is_link_local or address.is_unspecified or address.is_multicast:
        return None
    if any(address in net for net in NOT_A_LOCATION if net.version == address.version):
        return None
    return address


def location(event):
    """'country:XX' when the event is geo-enriched, else 'ip:<address>'; None
    when the event has no address that tells where the actor is."""
    address = _address(event)
    if address is None:
        return None
    country = event.deep_get("p_enrichment", "ipinfo_location", "sourceIP", "country")
    if isinstance(country, str) and country.strip():
        return f"country:{country.strip().upper()}"
    return f"ip:{address}"


def cache_key(event):
    return f"Panther.Actor.New.Location:{actor_key(event)}"


def known_locations(event):
    known = get_string_set(cache_key(event))
    if isinstance(known, str):
        # Test Mocks can only return strings: a comma-separated set.
        return {part.strip() for part in known.split(",") if part.strip()}
    return set(known or ())


def rule(event):
    # Failed actions neither alert nor teach the baseline: a guesser's address
    # must not become a known one.
    if not succeeded(event) or is_automation(event):
        return False
    where = location(event)
    if where is None:
        return False
    known = known_locations(event)
    if where in known:
        return False
    put_string_set(cache_key(event), sorted(known | {where}), epoch_seconds=int(time.time()) + KNOWN_FOR_SECONDS)
    # The first location of an actor is its baseline, not an anomaly.
    return bool(known)


def title(event):
    kind, _, value = (location(event) or "ip:unknown").partition(":")
    what = "country" if kind == "country" else "address"
    return f"New {what} {value} for {actor_description(event)}"


def dedup(event):
    return f"actor:{actor_key(event)}|{location(event)}"


def alert_context(event):
    context = actor_context(event)
    context["new_location"] = location(event)
    context["x_forwarded_for"] = event.get("XForwardedFor")
    return context
