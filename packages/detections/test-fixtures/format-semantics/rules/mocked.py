def lookup(key):
    return f"original:{key}"


def is_allowed():
    return True


def rule(event):
    return lookup(event.get("key")) == event.get("expected") and is_allowed() == event.get("allowed", True)
