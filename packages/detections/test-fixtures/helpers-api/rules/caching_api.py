"""panther_detection_helpers as Panther's 0.4.0 behaves: the expected values
are what its functions return over its key-value table (see ../README.md)."""

from panther_detection_helpers import caching, monitoring
from panther_detection_helpers.mocking import is_mock


def raises(exc_type, func):
    try:
        func()
    except exc_type:
        return True
    return False


def lookup_owner():
    return "real-owner"


def check_counters(event):
    key = "helpers-counter"
    assert caching.get_counter(key) == 0
    assert caching.increment_counter(key) == 1
    assert caching.increment_counter(key, 5) == 6
    assert caching.increment_counter(key, val=-2, epoch_seconds=3600) == 4
    assert caching.get_counter(key, force_ttl_check=True) == 4
    caching.reset_counter(key)
    assert caching.get_counter(key) == 0
    # One key holds a counter, a string set and a dictionary side by side.
    caching.increment_counter("helpers-shared")
    caching.add_to_string_set("helpers-shared", "a")
    caching.reset_counter("helpers-shared")
    assert caching.get_string_set("helpers-shared") == {"a"}
    return True


def check_threshold(event):
    key = "helpers-threshold"
    assert [caching.evaluate_threshold(key, threshold=3) for _ in range(4)] == [False, False, True, False]
    # Reaching the threshold starts the count over.
    assert caching.get_counter(key) == 1
    return True


def check_string_sets(event):
    key = "helpers-set"
    assert caching.get_string_set(key) == set()
    assert caching.add_to_string_set(key, "b") == {"b"}
    assert caching.add_to_string_set(key, ["a", "c", "a"]) == {"a", "b", "c"}
    # Adding or removing nothing answers the set as it is.
    assert caching.add_to_string_set(key, []) == {"a", "b", "c"}
    assert caching.remove_from_string_set(key, []) == {"a", "b", "c"}
    assert caching.remove_from_string_set(key, "b") == {"a", "c"}
    assert caching.remove_from_string_set(key, ("a", "zz")) == {"c"}
    assert caching.remove_from_string_set(key, "c") == set()
    assert caching.remove_from_string_set("helpers-never-set", "x") == set()
    # put takes any iterable: a string gives its characters.
    caching.put_string_set(key, "abca")
    assert caching.get_string_set(key) == {"a", "b", "c"}
    caching.put_string_set(key, {"x", "y"}, epoch_seconds=600)
    assert caching.get_string_set(key) == {"x", "y"}
    # An empty put resets the set.
    caching.put_string_set(key, [])
    assert caching.get_string_set(key) == set()
    caching.put_string_set(key, ["z"])
    caching.reset_string_set(key)
    assert caching.get_string_set(key, force_ttl_check=True) == set()
    assert isinstance(caching.get_string_set(key), set)
    assert raises(TypeError, lambda: caching.add_to_string_set(key, 5))
    return True


def check_account_age(event):
    caching.put_string_set("helpers-new-user", ["created"])
    assert caching.check_account_age("helpers-new-user") is True
    assert caching.check_account_age("helpers-unknown-user") is False
    assert caching.check_account_age("") is False
    assert caching.check_account_age(None) is False
    assert caching.check_account_age(42) is False
    return True


def check_dictionaries(event):
    key = "helpers-dict"
    assert caching.get_dictionary(key) == {}
    caching.put_dictionary(key, {"user": "alice", "n": 1, 2: ["x"], "nested": {"ok": True}})
    # Stored as JSON: what comes back has string keys.
    assert caching.get_dictionary(key, force_ttl_check=True) == {"user": "alice", "n": 1, "2": ["x"], "nested": {"ok": True}}
    assert raises(TypeError, lambda: caching.put_dictionary(key, ["not", "a", "dict"]))
    assert raises(ValueError, lambda: caching.put_dictionary(key, {"s": {1, 2}}))
    # The event's views are not dicts to json.dumps: .to_dict() first.
    assert raises(ValueError, lambda: caching.put_dictionary(key, event.get("user")))
    caching.put_dictionary(key, event.get("user").to_dict(), epoch_seconds=3600)
    assert caching.get_dictionary(key) == {"name": "alice"}
    return True


def check_expiry(event):
    # Below a week (604800 s and one), epoch_seconds counts from now; at or
    # above it is an epoch, so 700000 is long past and the entry is gone at once.
    caching.increment_counter("helpers-short", epoch_seconds=604800)
    assert caching.get_counter("helpers-short", force_ttl_check=True) == 1
    caching.increment_counter("helpers-past", epoch_seconds=700000)
    assert caching.get_counter("helpers-past", force_ttl_check=True) == 0
    caching.add_to_string_set("helpers-expiring", "a")
    caching.set_key_expiration("helpers-expiring", 1_000_000_000)
    assert caching.get_string_set("helpers-expiring", force_ttl_check=True) == set()
    # A past entry starts over: incrementing it counts from zero.
    assert caching.increment_counter("helpers-past", 2) == 2
    # An epoch in the future keeps it.
    caching.put_dictionary("helpers-future", {"a": 1}, epoch_seconds=4_000_000_000)
    assert caching.get_dictionary("helpers-future", force_ttl_check=True) == {"a": 1}
    assert caching.ttl_expired({"Item": {"expiresAt": 1}})
    assert not caching.ttl_expired({"Item": {"expiresAt": 4_000_000_000}})
    assert caching.ttl_expired({}) == 0
    return True


def check_mocked(event):
    return is_mock(lookup_owner) and lookup_owner() == "mocked-owner"


def check_unmocked(event):
    return not is_mock(lookup_owner) and lookup_owner() == "real-owner"


def check_monitoring(event):
    @monitoring.wrap(name="helpers.add", tags={"k": "v"})
    def add(a, b=1):
        """adds"""
        return a + b

    assert add(1, b=2) == 3 and add.__name__ == "add" and add.__doc__ == "adds"
    assert monitoring.USE_MONITORING is False
    return True


CHECKS = {name[len("check_"):]: func for name, func in globals().items() if name.startswith("check_")}


def rule(event):
    if not __debug__:
        raise RuntimeError("assert statements are disabled: the checks would prove nothing")
    return CHECKS[event.get("check")](event)
