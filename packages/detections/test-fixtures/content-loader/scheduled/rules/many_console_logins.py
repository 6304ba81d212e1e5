def rule(event):
    return event.get("logins", 0) > 20


def title(event):
    return f"{event.get('actor')} signed in {event.get('logins')} times in an hour"
