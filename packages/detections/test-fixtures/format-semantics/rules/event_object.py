"""Each check asserts one part of the event object's contract; rule() is True
when every assert of the check named by the event's `check` field holds."""

from panther_core import PantherEvent
from panther_core.exceptions import PantherError
from panther_core.immutable import ImmutableCaseInsensitiveDict, ImmutableList
from semantic_helpers import raises


def check_access(event):
    assert isinstance(event, PantherEvent)
    assert event.get("userName") == "alice"
    assert event.get("USERNAME") == "alice" and event["username"] == "alice"
    assert "UserName" in event and "nobody" not in event
    assert event.get("nobody") is None and event.get("nobody", "fallback") == "fallback"
    assert raises(KeyError, lambda: event["nobody"])
    # A key present with null is present: get() gives None, not the default.
    assert "nullable" in event and event.get("nullable", "fallback") is None
    keys = list(event)
    assert keys == ["check", "userName", "Mode", "mode", "nullable", "p_log_type"], keys
    assert len(event) == 6 and dict(event.items())["userName"] == "alice"
    # The exact spelling wins; otherwise the first key that differs only in case.
    assert event.get("mode") == "lower" and event.get("Mode") == "upper" and event.get("MODE") == "upper"
    return True


def check_immutable(event):
    actor = event["actor"]
    roles = event.deep_get("actor", "roles")
    first_resource = event["resources"][0]
    assert isinstance(actor, ImmutableCaseInsensitiveDict) and isinstance(roles, ImmutableList)
    assert isinstance(first_resource, ImmutableCaseInsensitiveDict)
    assert isinstance(event.get("resources"), ImmutableList)
    assert raises(TypeError, lambda: event.__setitem__("userName", "mallory"))
    assert raises(TypeError, lambda: event.__delitem__("userName"))
    assert raises(TypeError, lambda: setattr(event, "extra", 1))
    assert raises(TypeError, lambda: actor.__setitem__("name", "mallory"))
    assert raises(TypeError, lambda: first_resource.__setitem__("arn", "x"))
    assert raises(TypeError, lambda: roles.__setitem__(0, "root"))
    assert raises(AttributeError, lambda: roles.append("root"))
    assert raises(AttributeError, lambda: actor.update({"name": "mallory"}))
    assert raises(AttributeError, lambda: actor.pop("name"))
    # A mutable copy is the way to change values; the event stays as it was.
    copy = actor.copy()
    copy["name"] = "mallory"
    copy["roles"].append("root")
    assert event.deep_get("actor", "name") == "alice" and roles == ["admin", "dev"]
    assert event.get("userName") == "alice"
    return True


def check_deep_get(event):
    assert event.deep_get("actor", "attributes", "email") == "alice@example.test"
    assert event.deep_get("ACTOR", "Attributes", "EMAIL") == "alice@example.test"
    assert event.deep_get("actor", "missing", "email") is None
    assert event.deep_get("actor", "missing", "email", default="d") == "d"
    assert event.deep_get("nullable", "x", default="d") == "d"
    assert event.deep_get("nullable", default="d") == "d"
    # Lists are not walked: a key below a list is missing.
    assert event.deep_get("resources", "arn", default="d") == "d"
    assert event.deep_get("actor", "name", "first", default="d") == "d"
    # Falsy values are values, not missing.
    assert event.deep_get("counters", "zero", default="d") == 0
    assert event.deep_get("counters", "empty", default="d") == ""
    assert event.deep_get("counters", "no", default="d") is False
    return True


def check_deep_walk(event):
    # Expected values are what Panther's PantherEvent.deep_walk returns for this log.
    # Lists at two levels (resources, then tags), values de-duplicated in first-seen order.
    assert event.deep_walk("resources", "tags", "env") == ["prod", "dev"]
    assert event.deep_walk("resources", "tags", "env", return_val="first") == "prod"
    # return_val applies inside each list too: "dev" is the last of the first resource only.
    assert event.deep_walk("resources", "tags", "env", return_val="last") == "prod"
    # Lists inside lists are walked too.
    assert event.deep_walk("resources", "owners", "name") == ["bart", "lisa", "maggie"]
    # A path that ends on a list gives that list, as it is, as a plain list.
    flat = event.deep_walk("flat")
    assert flat == ["b", "a", "b"] and type(flat) is list
    # One value found (twice): "all" gives it alone, not in a list.
    assert event.deep_walk("resources", "kind") == "bucket"
    assert event.deep_walk("resources", "kind", return_val="first") == "bucket"
    # Unlike deep_get, keys match exactly.
    assert event.deep_walk("RESOURCES", "Kind") is None
    assert event.deep_walk("resources", "nothing") is None
    assert event.deep_walk("resources", "nothing", default="none") == "none"
    assert event.deep_walk("nullable", "x", default="none") == "none"
    # An unknown return_val is not refused: once a list was walked the answer is the string "all".
    assert event.deep_walk("resources", "kind", return_val="middle") == "all"
    assert event.deep_walk("flat", return_val="middle") == ["b", "a", "b"]
    return True


def check_udm(event):
    assert event.udm("source_ip") == "192.0.2.5"
    assert event.udm("actor_email") == "alice@example.test"
    assert event.udm("resource_arn") == "arn:aws:s3:::only"
    assert event.udm("region") == "eu-west-1"
    assert event.udm("event_kind") == "udm:USER"
    assert event.udm("no_such_name") is None
    actor = event.udm("actor")
    assert isinstance(actor, ImmutableCaseInsensitiveDict)
    assert raises(TypeError, lambda: actor.__setitem__("type", "ROOT"))
    return True


def check_udm_ambiguous(event):
    # Panther raises a bare Exception for a path matching several values.
    assert raises(Exception, lambda: event.udm("resource_arn"))
    assert raises(Exception, lambda: event.udm("region"))
    assert event.udm("source_ip") is None
    return True


def check_no_model(event):
    # Without a data model udm reads p_udm, then the event; udm_path is an error.
    assert event.udm("source_ip") is None
    assert event.udm("sourceIPAddress") == "192.0.2.5"
    assert raises(PantherError, lambda: event.udm_path("source_ip"))
    return True


CHECKS = {
    "access": check_access,
    "immutable": check_immutable,
    "deep_get": check_deep_get,
    "deep_walk": check_deep_walk,
    "udm": check_udm,
    "udm_ambiguous": check_udm_ambiguous,
    "no_model": check_no_model,
}


def rule(event):
    if not __debug__:
        raise RuntimeError("assert statements are disabled: the checks would prove nothing")
    check = CHECKS.get(event.get("check"))
    return check is not None and check(event)
