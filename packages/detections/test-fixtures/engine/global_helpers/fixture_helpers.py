def actor_label(event):
    return event.deep_get("actor", "name", default="nobody")
