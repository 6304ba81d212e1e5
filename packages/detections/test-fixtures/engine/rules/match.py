from fixture_helpers import actor_label


def rule(event):
    return event.get("ACTION") == "match"


def title(event):
    return f"{actor_label(event)} did {event.get('action')}"


def dedup(event):
    return event.udm("actor_user")


def severity(event):
    return "DEFAULT"


def alert_context(event):
    return {
        "actor": event.get("actor"),
        "hop_ips": event.deep_walk("hops", "ip"),
        "kind": event.udm("event_kind"),
        "source": event.udm("source_ip"),
        "unknown_mapping": event.udm("no_such_name"),
    }
