def rule(event):
    try:
        return event.udm("actor_user") == "ann"
    except Exception:  # no data model: udm() cannot resolve the name
        return False
