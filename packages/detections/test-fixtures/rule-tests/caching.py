from panther_detection_helpers import caching


def rule(event):
    key = event.get("key")
    assert caching.get_counter(key) == 0
    assert caching.increment_counter(key) == 1
    assert caching.increment_counter(key, 5) == 6
    caching.reset_counter(key)
    assert caching.get_counter(key) == 0

    assert caching.add_to_string_set(key, "a") == {"a"}
    assert caching.add_to_string_set(key, ["b", "c"]) == {"a", "b", "c"}
    assert caching.remove_from_string_set(key, "b") == {"a", "c"}
    caching.put_string_set(key, ["z"])
    assert caching.get_string_set(key) == {"z"}
    caching.reset_string_set(key)
    assert caching.get_string_set(key) == set()

    # The event's views are not JSON-serialisable dicts (as in Panther): copy first.
    caching.put_dictionary(key, {"n": 1, "nested": event.get("nested").to_dict()})
    copy = caching.get_dictionary(key)
    copy["n"] = 2
    assert caching.get_dictionary(key) == {"n": 1, "nested": {"a": [1, 2]}}

    # Below 1e9 an expiration is relative: one second in the past has expired.
    caching.set_key_expiration(key, -1)
    assert caching.get_dictionary(key) == {} and caching.get_counter(key) == 0
    caching.put_string_set(key, ["y"], epoch_seconds=60)
    assert caching.get_string_set(key) == {"y"}
    # Above 1e9 it is an epoch: 2001 has passed.
    caching.set_key_expiration(key, 1_000_000_001)
    assert caching.get_string_set(key) == set()
    return True
