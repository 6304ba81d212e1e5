"""Each check pins a part of the PantherEvent API to the values Panther's own
implementation gives for the check's test log (run against panther_core 0.16.3:
every test of this file passes there too, see ../README.md)."""

import json

from panther_core import PantherEvent
from panther_core.exceptions import PantherError
from panther_core.immutable import ImmutableCaseInsensitiveDict, ImmutableList


def raises(exc_type, func):
    try:
        func()
    except exc_type:
        return True
    return False


def check_walk_list_end(event):
    # The path ends on a list of one mapping: the list comes back, not its item.
    infos = event.deep_walk("protoPayload", "authorizationInfo")
    assert infos == [{"permission": "run.services.create", "granted": True}], infos
    assert type(infos) is list and type(infos[0]) is dict
    assert [info.get("permission") for info in infos] == ["run.services.create"]
    assert event.deep_walk("protoPayload", "authorizationInfo", return_val="first") == infos
    # Repeated values in an end list are kept; only values collected from lists are de-duplicated.
    assert event.deep_walk("dupes") == ["a", "a"]
    # An empty list, or lists of empty lists, count as nothing found.
    assert event.deep_walk("protoPayload", "empty") is None
    assert event.deep_walk("protoPayload", "empty", default="d") == "d"
    assert event.deep_walk("protoPayload", "nested_empty", default="d") == "d"
    # A mapping at the end comes back as a plain dict (its keys match exactly).
    payload = event.deep_walk("protoPayload")
    assert type(payload) is dict and payload.get("EMPTY") is None
    # No keys: the whole event, as a plain dict.
    assert type(event.deep_walk()) is dict and event.deep_walk()["check"] == "walk_list_end"
    return True


def check_walk_modes(event):
    assert event.deep_walk("records", "tags", "env") == ["prod", "dev"]
    assert event.deep_walk("records", "tags", "env", return_val="first") == "prod"
    # return_val applies within each list too: the first record alone gives "dev".
    assert event.deep_walk("records", "tags", "env", return_val="last") == "prod"
    # Lists inside lists are walked; values keep their first-seen order.
    assert event.deep_walk("records", "n") == [1, 2, 3]
    # "last" picks 1 inside the nested list, which was seen already: 2 is last.
    assert event.deep_walk("records", "n", return_val="last") == 2
    # 1, True and 1.0 are one value (as dict keys are): the first one seen stays.
    ids = event.deep_walk("items", "id")
    assert ids == 1 and type(ids) is int
    # False, "" and 0 are values; None is not.
    assert event.deep_walk("records", "flag") == [True, False]
    assert event.deep_walk("records", "blank") == ""
    assert event.deep_walk("records", "zero") == 0
    assert event.deep_walk("records", "nothing") is None
    # An unknown return_val is not refused: the answer is the string "all".
    assert event.deep_walk("records", "n", return_val="middle") == "all"
    return True


def check_walk_defaults(event):
    # Keys match exactly, unlike deep_get.
    assert event.deep_walk("upper", "key") is None
    assert event.deep_walk("Upper", "Key") == "value"
    assert event.deep_walk("nullable", default="d") == "d"
    assert event.deep_walk("nullable", "x", default="d") == "d"
    assert event.deep_walk("missing", default=0) == 0
    # Items of a list that lack the key contribute the default.
    assert event.deep_walk("records", "a", default="") == [1, ""]
    assert event.deep_walk("records", "a") == 1
    # A missing key goes on from the default: a mapping default is walked into.
    assert event.deep_walk("missing", "k", default={"k": "from default"}) == "from default"
    assert event.deep_walk("obj", "inner", "k") == "v"
    return True


def check_get(event):
    assert event.deep_get("ACTOR", "name") == "alice"
    roles = event.deep_get("actor", "roles")
    assert isinstance(roles, ImmutableList) and roles == ["admin"]
    assert isinstance(event.deep_get("actor"), ImmutableCaseInsensitiveDict)
    assert event.deep_get("nullable", default="d") == "d"
    assert event.deep_get("counters", "zero", default="d") == 0
    assert event.deep_get("counters", "empty", default="d") == ""
    # Lists are not walked.
    assert event.deep_get("list", "a", default="d") == "d"
    # A missing key goes on from the default.
    assert event.deep_get("missing", "k", default={"k": "from default"}) == "from default"
    # Nested views have deep_get too.
    assert event.get("actor").deep_get("NAME") == "alice"
    assert event.deep_get() is event
    return True


def check_udm_model(event):
    assert event.udm("source_ip") == "192.0.2.1"
    assert event.udm("first_id") == "first"
    assert event.udm("any_id") == "first"
    assert event.udm("actor_name") == "bob"
    assert event.udm("view_type") == "ImmutableCaseInsensitiveDict:False"
    # A path or method that finds null gives None, not the default.
    assert event.udm("nullable", default="d") is None
    assert event.udm("nothing", default="d") is None
    # Unmapped names, and several keys, are read from p_udm, then the event.
    assert event.udm("hidden") == "p_udm-value"
    assert event.udm("user", "email") == "bob@example.test"
    assert event.udm("USER", "EMAIL") == "bob@example.test"
    # A falsy p_udm value counts as missing.
    assert event.udm("zero") == "event-zero"
    assert event.udm("absent", default="d") == "d"
    assert event.udm(default="d") == "d"
    email = event.udm("p_udm", "user")
    assert isinstance(email, ImmutableCaseInsensitiveDict)
    return True


def check_udm_no_match(event):
    assert event.udm("source_ip") is None
    assert event.udm("source_ip", default="d") == "d"
    assert event.udm("first_id", default="d") == "d"
    assert event.udm("any_id", default="d") == "d"
    return True


def check_udm_no_model(event):
    assert event.data_model is None
    assert event.udm("source_ip") == "203.0.113.9"
    assert event.udm("empty") == "from-event"
    assert event.udm("absent", default="d") == "d"
    return True


def check_udm_path(event):
    assert event.udm_path("source_ip") == "src.ip"
    assert event.udm_path("actor_name") == "get_actor_name"
    assert event.udm_path("first_id") == "items.[0].id"
    assert event.udm_path("nullable") is None
    assert event.udm_path("unmapped") is None
    assert raises(Exception, lambda: event.udm_path("any_id"))
    return True


def check_udm_path_no_model(event):
    try:
        event.udm_path("source_ip")
    except PantherError as exc:
        assert str(exc) == "a data model hasn't been specified for log type: Custom.Unmodelled", str(exc)
        return True
    return False


def check_event_time(event):
    assert event.event_time_epoch() == 1672574400
    assert event.event_time_epoch(force_utc=False) == 1672574400
    assert PantherEvent({}).event_time_epoch() == 0
    assert PantherEvent({"p_event_time": "not a time"}).event_time_epoch() == 0
    # A zone in the text and the forced " UTC" together do not parse.
    assert PantherEvent({"p_event_time": "2023-01-01T12:00:00Z"}).event_time_epoch() == 0
    assert PantherEvent({"p_event_time": "2023-01-01T12:00:00Z"}).event_time_epoch(force_utc=False) == 1672574400
    return True


def check_lookup(event):
    assert event.lookup("ips", "192.0.2.1") == {"owner": "alice"}
    assert event.lookup("ips", "198.51.100.1") is None
    assert event.lookup("other", "192.0.2.1") is None
    assert PantherEvent({}).lookup("ips", "192.0.2.1") is None
    other = PantherEvent({})
    other._add_lookup_function(lambda ev, table, key: f"{table}/{key}")
    assert other.lookup("ips", "k") == "ips/k"
    return True


def check_views(event):
    items = event.get("list")
    assert repr(items) == "ImmutableList((1, {'a': 2}))", repr(items)
    assert items[0:1] == (1,) and type(items[0:1]) is tuple
    assert items.as_list() == [1, {"a": 2}] and type(items.copy()) is list
    assert items == [1, {"a": 2}] and items == (1, {"a": 2}) and items != "x"
    assert json.dumps(items, default=PantherEvent.json_encoder) == '[1, {"a": 2}]'
    assert type(event.to_dict()) is dict and type(event.raw_view()) is dict
    # Keys are compared with lower(), not casefold().
    assert event.get("STRASSE") is None and event.get("STRAßE") == 1
    return True


CHECKS = {name[len("check_"):]: func for name, func in globals().items() if name.startswith("check_")}


def rule(event):
    if not __debug__:
        raise RuntimeError("assert statements are disabled: the checks would prove nothing")
    return CHECKS[event.get("check")](event)
