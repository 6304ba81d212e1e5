from panther_detection_helpers.caching import increment_counter

# Module state lives as long as the tenant's interpreter, never across tenants.
SEEN = []


def rule(event):
    return event.get("action") == "count"


def alert_context(event):
    SEEN.append(event.get("p_row_id"))
    return {"seen": len(SEEN), "counter": increment_counter("fixture-count")}
