"""How exceptions are reported: bounded in UTF-8 bytes, harness frames left out."""

import unittest

from _caracal.failures import MAX_FRAMES, MAX_MESSAGE_BYTES, MAX_TRACEBACK_BYTES, bounded, bounded_tail, describe, one_line


def raised(exc_factory):
    try:
        raise exc_factory()
    except BaseException as exc:  # noqa: BLE001 - any exception is what describe takes
        return exc


class BoundedTest(unittest.TestCase):
    def test_text_within_the_limit_is_unchanged(self):
        self.assertEqual(bounded("ab\u20ac", 5), "ab\u20ac")
        self.assertEqual(bounded_tail("x" * 100, 100), "x" * 100)

    def test_a_cut_never_splits_a_character_and_stays_within_the_limit(self):
        text = "\u00e9" * 100  # 200 bytes
        for limit in range(40, 60):
            cut = bounded(text, limit)
            self.assertLessEqual(len(cut.encode()), limit)
            self.assertTrue(cut.endswith("\u2026 [truncated, 200 bytes]"), cut)
            self.assertEqual(set(cut[: cut.index("\u2026")]), {"\u00e9"})

    def test_the_tail_keeps_the_end_after_a_marker_line(self):
        text = "".join(f"line {i}\n" for i in range(100))
        cut = bounded_tail(text, 120)
        self.assertLessEqual(len(cut.encode()), 120)
        self.assertTrue(cut.startswith(f"\u2026 [truncated, {len(text)} bytes]\n"))
        self.assertTrue(cut.endswith("line 99\n"))


class DescribeTest(unittest.TestCase):
    def test_type_message_and_traceback(self):
        described = describe(raised(lambda: ValueError("bad value")))
        self.assertEqual((described["errorType"], described["message"]), ("ValueError", "bad value"))
        self.assertTrue(described["traceback"].startswith("Traceback (most recent call last):\n"))
        self.assertTrue(described["traceback"].endswith("ValueError: bad value\n"))

    def test_a_huge_message_is_truncated_in_the_message_and_the_traceback(self):
        described = describe(raised(lambda: ValueError("\u00e9" * 5000)))
        self.assertEqual(len(described["message"].encode()), MAX_MESSAGE_BYTES)
        self.assertTrue(described["message"].endswith("\u2026 [truncated, 10000 bytes]"))
        self.assertLessEqual(len(described["traceback"].encode()), MAX_TRACEBACK_BYTES)
        self.assertIn("[truncated, ", described["traceback"])

    def test_only_the_last_frames_are_kept(self):
        # Twelve distinct functions: a recursion's repeated frames would be folded into one line.
        source = "def f0():\n    raise RuntimeError('bottom')\n" + "".join(f"def f{i}():\n    f{i - 1}()\n" for i in range(1, 12))
        namespace = {}
        exec(compile(source, "chain.py", "exec"), namespace)
        traceback_text = describe(raised(namespace["f11"]))["traceback"]
        self.assertEqual(traceback_text.count('  File "'), MAX_FRAMES)
        self.assertIn("in f0", traceback_text)
        self.assertNotIn("in f8", traceback_text)

    def test_a_str_that_raises_is_reported_not_propagated(self):
        class Unprintable(Exception):
            def __str__(self):
                raise RuntimeError("no")

        self.assertEqual(describe(raised(Unprintable))["message"], "<str() of the Unprintable raised>")

    def test_one_line(self):
        self.assertEqual(one_line(KeyError("k")), "KeyError: 'k'")
        self.assertEqual(one_line(ValueError()), "ValueError")
        self.assertEqual(len(one_line(ValueError("x" * 10000)).encode()), MAX_MESSAGE_BYTES)


if __name__ == "__main__":
    unittest.main()
