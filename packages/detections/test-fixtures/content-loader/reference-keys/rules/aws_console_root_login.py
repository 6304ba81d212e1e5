import json


def is_break_glass():
    return False


def known_ips():
    return "[]"


def rule(event):
    if event.deep_get("userIdentity", "type") != "Root" or is_break_glass():
        return False
    return event.get("sourceIPAddress") not in json.loads(known_ips())
