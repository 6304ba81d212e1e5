def get_actor_name(event):
    return event.deep_get("actor", "name")


def get_view_type(event):
    # Methods get a plain immutable view of the event, without udm() or deep_walk().
    return f"{type(event).__name__}:{hasattr(event, 'udm')}"


def get_nothing(event):
    return None
