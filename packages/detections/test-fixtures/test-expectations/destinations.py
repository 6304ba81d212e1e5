def rule(event):
    return event.get("alert") is True


def destinations(event):
    dest = event.get("dest")
    return None if dest is None else list(dest)
