def rule(event):
    return event.get("mode") == "match"


def title(event):
    return f"quiet fixture {event.get('n')}"
