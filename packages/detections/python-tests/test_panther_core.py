"""panther_core: PantherEvent, data models, JSONPath, immutability and traversal."""

import copy
import json
import types
import unittest

from panther_core import DataModel, DataModelError, ImmutableCaseInsensitiveDict, ImmutableList, PantherEvent
from panther_core.exceptions import PantherError
from panther_core.jsonpath import JsonPathError, compile_path
from panther_core.traversal import deep_get, deep_walk

RAW = {
    "p_log_type": "Test.Log",
    "Actor": {"Name": "homer", "ids": [1, 2]},
    "roles": [{"name": "ADMIN", "n": "5"}, {"name": "dev", "n": "x"}],
    "p_udm": {"user": "from-p-udm"},
    "zero": 0,
}


def data_model():
    module = types.ModuleType("dm_module")

    def get_ip(event):
        return event.get("IP", "no-ip")

    module.get_ip = get_ip
    return DataModel("Test.DM", [
        {"name": "actor_user", "path": "$.actor.name"},
        {"name": "actor_exact", "path": "$.Actor.Name"},
        {"name": "admin_role", "path": "$.roles[?(@.name == 'ADMIN')].name"},
        {"name": "role_names", "path": "$.roles[*].name"},
        {"name": "ids", "path": "Actor.ids"},
        {"name": "ip", "method": "get_ip"},
    ], module)


class PantherEventTest(unittest.TestCase):
    def setUp(self):
        self.event = PantherEvent(copy.deepcopy(RAW), data_model())

    def test_keys_match_in_any_case_and_deep_get_defaults(self):
        self.assertEqual(self.event.deep_get("actor", "name"), "homer")
        self.assertEqual(self.event["ACTOR"]["NAME"], "homer")
        self.assertEqual(self.event.deep_get("Actor", "missing", default="d"), "d")
        self.assertEqual(self.event.deep_get("zero"), 0)
        self.assertNotIn("nope", self.event)

    def test_the_event_and_its_children_are_immutable(self):
        with self.assertRaises(TypeError):
            self.event["x"] = 1
        with self.assertRaises(TypeError):
            del self.event["zero"]
        ids = self.event["Actor"]["ids"]
        self.assertIsInstance(ids, ImmutableList)
        self.assertFalse(hasattr(ids, "append"))
        self.assertEqual(ids, [1, 2])
        with self.assertRaises(TypeError):
            self.event["Actor"]["Name"] = "bart"
        with self.assertRaises(TypeError):
            self.event.extra = 1

    def test_copies_are_plain_and_leave_the_event_unchanged(self):
        plain = self.event.to_dict()
        self.assertEqual(plain, RAW)
        plain["Actor"]["ids"].append(3)
        self.assertEqual(self.event["Actor"]["ids"], [1, 2])
        self.assertEqual(json.dumps(self.event["roles"], default=PantherEvent.json_encoder), json.dumps(RAW["roles"]))

    def test_udm_by_path_filter_and_method(self):
        self.assertEqual(self.event.udm("actor_exact"), "homer")
        # Data model paths see the decoded JSON: keys match exactly, so `actor` finds nothing.
        self.assertIsNone(self.event.udm("actor_user"))
        self.assertEqual(self.event.udm("actor_user", default="none"), "none")
        self.assertEqual(self.event.udm("admin_role"), "ADMIN")
        self.assertEqual(self.event.udm("ids"), [1, 2])
        self.assertIsInstance(self.event.udm("ids"), ImmutableList)
        self.assertEqual(self.event.udm("ip"), "no-ip")

    def test_udm_path_names_what_matched(self):
        self.assertEqual(self.event.udm_path("actor_exact"), "Actor.Name")
        self.assertEqual(self.event.udm_path("admin_role"), "roles.[0].name")
        self.assertEqual(self.event.udm_path("ip"), "get_ip")
        self.assertIsNone(self.event.udm_path("actor_user"))

    def test_a_path_that_matches_several_fields_raises(self):
        with self.assertRaisesRegex(Exception, r"JSONPath \[\$\.roles\.\[\*\]\.name\] in DataModel \[Test\.DM\], matched multiple fields\."):
            self.event.udm("role_names")

    def test_unmapped_names_and_events_without_a_data_model_read_p_udm_then_the_event(self):
        self.assertEqual(self.event.udm("user"), "from-p-udm")
        bare = PantherEvent(RAW)
        self.assertEqual(bare.udm("user"), "from-p-udm")
        self.assertEqual(bare.udm("zero", default="d"), "d")
        self.assertEqual(bare.udm("Actor", "Name"), "homer")
        with self.assertRaisesRegex(PantherError, "^a data model hasn't been specified for log type: Test.Log$"):
            bare.udm_path("actor_user")

    def test_deep_walk_collects_through_lists(self):
        self.assertEqual(self.event.deep_walk("roles", "name"), ["ADMIN", "dev"])
        self.assertEqual(self.event.deep_walk("roles", "name", return_val="last"), "dev")
        self.assertEqual(self.event.deep_walk("roles", "missing", default="d"), "d")
        walked = self.event.deep_walk("Actor", "ids")
        self.assertEqual((walked, type(walked)), ([1, 2], list))

    def test_a_data_model_mapping_needs_a_path_or_a_method(self):
        with self.assertRaisesRegex(DataModelError, "has neither a path nor a method"):
            DataModel("Bad.DM", [{"name": "x"}])
        with self.assertRaisesRegex(DataModelError, "method 'absent' for 'x' is not defined"):
            DataModel("No.Method", [{"name": "x", "method": "absent"}]).resolve(PantherEvent({}), "x")


class JsonPathTest(unittest.TestCase):
    def found(self, path):
        return [(m.value, m.path_text) for m in compile_path(path).find(RAW)]

    def test_names_brackets_and_indexes(self):
        self.assertEqual(self.found("$['Actor']['Name']"), [("homer", "Actor.Name")])
        self.assertEqual(self.found("roles[0].name"), [("ADMIN", "roles.[0].name")])
        self.assertEqual(self.found("$.roles[-1].name"), [("dev", "roles.[-1].name")])
        self.assertEqual(self.found("$.Actor.*"), [("homer", "Actor.Name"), ([1, 2], "Actor.ids")])

    def test_recursive_descent_matches_keys_exactly(self):
        self.assertEqual(self.found("$..name"), [("ADMIN", "roles.[0].name"), ("dev", "roles.[1].name")])

    def test_filters(self):
        self.assertEqual(self.found("$.roles[?(@.name == 'dev')].n"), [("x", "roles.[1].n")])
        # A number compared converts the value to int; "x" does not convert and never matches.
        self.assertEqual(self.found("$.roles[?(@.n > 4)].name"), [("ADMIN", "roles.[0].name")])
        self.assertEqual(self.found("$.roles[?(@.name =~ '^d')].name"), [("dev", "roles.[1].name")])
        self.assertEqual(self.found("$.roles[?(@.n)].name"), [("ADMIN", "roles.[0].name"), ("dev", "roles.[1].name")])

    def test_bad_paths_raise(self):
        for text, message in [("", "empty JSONPath"), ("$.a[?(@.b == 1)", "unclosed filter at offset 3"), ("$.a[x", "bad bracket at offset 3")]:
            with self.assertRaisesRegex(JsonPathError, message):
                compile_path(text)

    def test_a_path_prints_as_panther_prints_it(self):
        self.assertEqual(str(compile_path("$.roles[*].name")), "$.roles.[*].name")


class TraversalTest(unittest.TestCase):
    def test_module_deep_get_and_deep_walk_over_views(self):
        view = ImmutableCaseInsensitiveDict(RAW)
        self.assertEqual(deep_get(view, "actor", "NAME"), "homer")
        self.assertEqual(deep_get(view, "actor", "x", "y", default=5), 5)
        self.assertEqual(deep_walk(view, "roles", "name", return_val="first"), "ADMIN")
        self.assertEqual(deep_walk({"a": [{"b": 1}, {"b": 1}, {"b": 2}]}, "a", "b"), [1, 2])


if __name__ == "__main__":
    unittest.main()
