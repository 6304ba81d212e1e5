import requests


def rule(event):
    return event.get("eventName") == "CreateWebhook"


def alert_context(event):
    # A detection that tries to call out: it must fail as a connection error.
    try:
        response = requests.get(event.get("url"), timeout=5)
    except requests.RequestException as exc:
        return {"reached": False, "error": type(exc).__name__, "message": str(exc)}
    return {"reached": True, "status": response.status_code}
