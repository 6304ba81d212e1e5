"""panther_detection_helpers.caching over kv_store's bridge to an in-memory host store."""

import time
import unittest

from _caracal import kv_store
from _caracal.kv_store import BridgedKeyValueStore, KeyValueStoreError
from caracal_test_support import MemoryKvHost
from panther_detection_helpers import caching, mocking, monitoring


class WithMemoryStore(unittest.TestCase):
    def setUp(self):
        self.previous = kv_store.active_store()
        self.host = MemoryKvHost()
        kv_store.use_store(BridgedKeyValueStore(self.host.call))

    def tearDown(self):
        kv_store.use_store(self.previous)


class BridgeTest(WithMemoryStore):
    def test_requests_are_json_with_the_expiry_as_a_float(self):
        store = kv_store.active_store()
        self.assertEqual(store.increment_counter("k", 2, 60), 2)
        self.assertEqual(self.host.requests[-1], {"op": "increment_counter", "key": "k", "val": 2, "epochSeconds": 60.0})
        self.assertEqual(store.add_to_string_set("s", ["a", "b"]), {"a", "b"})
        self.assertEqual(self.host.requests[-1]["epochSeconds"], None)

    def test_an_error_answer_raises(self):
        store = BridgedKeyValueStore(lambda request: '{"error": "over quota"}')
        with self.assertRaisesRegex(KeyValueStoreError, r"get_counter\('k'\): over quota"):
            store.get_counter("k")

    def test_without_a_connected_store_every_call_fails(self):
        kv_store.use_store(kv_store._NoStore())
        with self.assertRaisesRegex(KeyValueStoreError, "no key-value store is connected"):
            caching.get_counter("k")


class CachingTest(WithMemoryStore):
    def test_counters(self):
        self.assertEqual(caching.get_counter("c"), 0)
        self.assertEqual(caching.increment_counter("c"), 1)
        self.assertEqual(caching.increment_counter("c", 4), 5)
        caching.reset_counter("c")
        self.assertEqual(caching.get_counter("c"), 0)
        with self.assertRaises(TypeError):
            caching.increment_counter("c", True)
        with self.assertRaises(ValueError):
            caching.get_counter("")

    def test_string_sets(self):
        self.assertEqual(caching.get_string_set("s"), set())
        self.assertEqual(caching.add_to_string_set("s", "one"), {"one"})
        self.assertEqual(caching.add_to_string_set("s", ["two", "three"]), {"one", "two", "three"})
        self.assertEqual(caching.remove_from_string_set("s", "two"), {"one", "three"})
        caching.put_string_set("s", ["x"])
        self.assertEqual(caching.get_string_set("s"), {"x"})
        self.assertTrue(caching.check_account_age("s"))
        caching.put_string_set("s", [])
        self.assertEqual(caching.get_string_set("s"), set())
        self.assertFalse(caching.check_account_age("s"))
        with self.assertRaises(TypeError):
            caching.add_to_string_set("s", [1])

    def test_dictionaries_round_trip_as_json(self):
        self.assertEqual(caching.get_dictionary("d"), {})
        caching.put_dictionary("d", {"a": [1, 2], 3: "three"})
        self.assertEqual(caching.get_dictionary("d"), {"a": [1, 2], "3": "three"})
        with self.assertRaises(ValueError):
            caching.put_dictionary("d", {"s": {1}})
        with self.assertRaises(TypeError):
            caching.put_dictionary("d", [1])

    def test_evaluate_threshold_fires_on_the_nth_call_and_starts_over(self):
        fired = [caching.evaluate_threshold("t", threshold=3) for _ in range(7)]
        self.assertEqual(fired, [False, False, True, False, False, True, False])

    def test_expiry_arguments(self):
        caching.increment_counter("e", epoch_seconds=600)
        self.assertEqual(self.host.requests[-1]["epochSeconds"], 600.0)
        caching.increment_counter("e", epoch_seconds=None)
        self.assertEqual(self.host.requests[-1]["epochSeconds"], float(caching.DEFAULT_EXPIRY_SECONDS))
        later = int(time.time()) + 3600
        caching.increment_counter("e", epoch_seconds=str(later))
        self.assertEqual(self.host.requests[-1]["epochSeconds"], float(later))
        # An epoch long past (1990) expires the entry at once.
        caching.set_key_expiration("e", 631152000)
        self.assertEqual(self.host.requests[-1]["epochSeconds"], -1.0)
        self.assertEqual(caching.get_counter("e"), 0)

    def test_ttl_expired(self):
        self.assertFalse(caching.ttl_expired({}))
        self.assertTrue(caching.ttl_expired({"Item": {"expiresAt": time.time() - 1}}))
        self.assertFalse(caching.ttl_expired({"Item": {"expiresAt": time.time() + 60}}))


class OtherHelpersTest(unittest.TestCase):
    def test_mocking_and_monitoring(self):
        from unittest.mock import MagicMock

        self.assertTrue(mocking.is_mock(MagicMock()))
        self.assertFalse(mocking.is_mock(len))

        @monitoring.wrap(name="op")
        def add(a, b=1):
            """Adds."""
            return a + b

        self.assertEqual((add(2, b=3), add.__name__, add.__doc__), (5, "add", "Adds."))


if __name__ == "__main__":
    unittest.main()
