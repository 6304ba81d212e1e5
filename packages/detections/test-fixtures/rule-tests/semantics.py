from panther_core import PantherEvent
from panther_core.immutable import ImmutableCaseInsensitiveDict, ImmutableList


def _raises(func, exc_type):
    try:
        func()
    except exc_type:
        return True
    return False


def rule(event):
    if event.get("p_log_type") != "Fixture.Semantic":
        # No data model for this log type: udm() reads p_udm, then the event, which has no `user`.
        return event.udm("user") is not None

    assert isinstance(event, PantherEvent)
    assert event["UserName"] == "alice" and event.get("username") == "alice" and "USERNAME" in event
    assert event.get("missing", "fallback") == "fallback" and "missing" not in event
    assert {"userName", "p_log_type"} <= set(event)

    actor = event.get("actor")
    roles = event.deep_get("actor", "roles")
    assert isinstance(actor, ImmutableCaseInsensitiveDict) and isinstance(roles, ImmutableList)
    assert roles == ["admin", "dev"]
    assert _raises(lambda: event.__setitem__("userName", "mallory"), TypeError)
    assert _raises(lambda: actor.__setitem__("Name", "mallory"), TypeError)
    assert _raises(lambda: roles.append("root"), AttributeError)
    assert _raises(lambda: roles.__setitem__(0, "root"), TypeError)

    assert event.deep_get("actor", "name") == "alice"
    assert event.deep_get("actor", "nothing", default="d") == "d"
    assert event.deep_get("nullable", "x", default="d") == "d"
    assert event.deep_get("actor", "roles", "x") is None

    assert event.deep_walk("resources", "tags", "env") == ["prod", "dev"]
    assert event.deep_walk("resources", "tags", "env", return_val="first") == "prod"
    # return_val applies inside each list too (as in Panther): "dev" is last of the first resource only.
    assert event.deep_walk("resources", "tags", "env", return_val="last") == "prod"
    assert event.deep_walk("resources", "name") == "bucket"
    assert event.deep_walk("resources", "nothing", default="none") == "none"

    # Data model paths match keys exactly, as in Panther: the log has actor.Name.
    assert event.udm("user") is None
    assert event.udm("first_role") == "admin"
    assert event.udm("ip") == "192.0.2.5"
    assert event.udm("region") == "us-east-1"
    assert event.udm("unknown") is None
    # Panther raises a bare Exception for a path matching several values.
    assert _raises(lambda: event.udm("every_env"), Exception)
    return True
