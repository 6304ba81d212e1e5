from panther_detection_helpers.caching import increment_counter


def rule(event):
    if event.get("mode") != "count":
        return False
    increment_counter(f"seen-{event.get('key')}")
    return True
