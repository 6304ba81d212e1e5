def rule(event):
    # Each data model maps source_ip to a different key of the same log.
    expected = event.get("expectedIp")
    return expected is not None and event.udm("source_ip") == expected


def alert_context(event):
    return {"source_ip": event.udm("source_ip")}
