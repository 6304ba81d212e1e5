from panther_detection_helpers.caching import get_string_set


def rule(event):
    return event.get("user") in get_string_set("admins")


def title(event):
    if event.get("break_title"):
        raise RuntimeError("title broke")
    return f"admin {event.get('user')} active"
