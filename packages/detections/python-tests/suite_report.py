"""Runs this folder's tests as `python -m unittest discover -s <dir> -t <dir>`
does, and reports them as JSON (the counts, and each failure and error with its
traceback), so that src/python-harness.test.ts can check the same suite under
CPython and inside Pyodide. Not a test module itself: discovery skips it."""

import io
import json
import sys
import unittest


def _problems(pairs):
    return [{"test": test.id(), "traceback": text} for test, text in pairs]


def run(tests_dir):
    loader = unittest.TestLoader()
    suite = loader.discover(tests_dir, top_level_dir=tests_dir)
    discovered = suite.countTestCases()
    output = io.StringIO()
    result = unittest.TextTestRunner(stream=output, verbosity=0).run(suite)
    return {
        "python": sys.version.split()[0],
        "platform": sys.platform,
        "discovered": discovered,
        "run": result.testsRun,
        "failures": _problems(result.failures),
        # A module that fails to import is an error of a stand-in test, so it is counted here too.
        "errors": _problems(result.errors) + [{"test": "discovery", "traceback": text} for text in loader.errors],
        "skipped": len(result.skipped),
        "unexpectedSuccesses": [test.id() for test in result.unexpectedSuccesses],
    }


def report_json(tests_dir):
    return json.dumps(run(tests_dir))


if __name__ == "__main__":
    # The last line of output is the report, whatever a test printed before it.
    print("\n" + report_json(sys.argv[1]))
