"""Times Caracal's detection harness under the native CPython that runs this
script, on the content payload and event batches the rules bench gives the
Pyodide engine. The harness is the same code; only lock_down, the Pyodide
sandbox, is left out.

    python3 bench/native-harness-driver.py --python-dir packages/detections/python \
        --wheels-dir packages/detections/wheels --payload P.json --batches B.jsonl

It loads the content, warms up, prints one JSON line (versions, start-up time,
outcomes of one pass), then serves commands from stdin, one per line, so that
bench/rules-vs-native-bench.js can interleave native and Pyodide passes on a
machine whose load changes:
    pass        time one pass over all batches; prints {"seconds": wall,
                "cpuSeconds": this process's CPU time}
    profile N   one pass under cProfile; the N most expensive functions (own
                time) go to stderr; prints the same timing (inflated by the
                profiler)
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
import zipfile


def install_wheels(wheels_dir, target):
    # Unpacked like an install, not put on sys.path as zips: policyuniverse
    # opens its data.json with open(), which fails inside a zip archive.
    for name in sorted(os.listdir(wheels_dir)):
        if name.endswith(".whl"):
            with zipfile.ZipFile(os.path.join(wheels_dir, name)) as wheel:
                wheel.extractall(target)
    # First on the path, so a copy installed on the host does not shadow the pinned one.
    sys.path.insert(0, target)


def summarise(outcomes_json, summary, first_errors):
    for outcome in json.loads(outcomes_json):
        key = f"{outcome['kind']}:{outcome['ruleId']}"
        summary[key] = summary.get(key, 0) + 1
        if outcome["kind"] == "error":
            first_errors.setdefault(outcome["ruleId"], f"{outcome['errorType']}: {outcome['message']}")


def timed_pass(harness, batches):
    """Wall and CPU seconds of one pass: on a shared machine the CPU time is the steadier of the two."""
    wall, cpu = time.perf_counter(), time.process_time()
    for batch in batches:
        harness.evaluate_batch(batch)
    return {"seconds": time.perf_counter() - wall, "cpuSeconds": time.process_time() - cpu}


def profiled_pass(harness, batches, top):
    profiler = cProfile.Profile()
    profiler.enable()
    timing = timed_pass(harness, batches)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue(), file=sys.stderr, flush=True)
    return timing


class Discard(list):
    """MemoryKvHost keeps every request for the tests' assertions; a bench pass would only grow it."""

    def append(self, _item):
        pass


def reply(value):
    print(json.dumps(value), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python-dir", required=True)
    parser.add_argument("--wheels-dir", required=True)
    parser.add_argument("--payload", required=True, help="contentPayload(content) as JSON")
    parser.add_argument("--batches", required=True, help="one JSON array of events per line")
    parser.add_argument("--warmup", type=int, default=3, help="batches evaluated before timing")
    args = parser.parse_args()

    with open(args.payload, encoding="utf-8") as f:
        payload = f.read()
    with open(args.batches, encoding="utf-8") as f:
        batches = [line for line in f.read().split("\n") if line]
    events_per_pass = sum(len(json.loads(b)) for b in batches)

    with tempfile.TemporaryDirectory(prefix="caracal-bench-wheels-") as site_packages:
        started = time.perf_counter()
        install_wheels(args.wheels_dir, site_packages)
        sys.path.insert(1, os.path.abspath(args.python_dir))
        from _caracal import harness, kv_store

        # The engine's rules reach a key-value store on every event that uses caching; without one
        # here they would fail fast instead and the native side would do less work. The same bridge
        # (JSON requests through BridgedKeyValueStore) answered from a dict, as in the Python tests.
        sys.path.insert(2, os.path.join(os.path.dirname(os.path.abspath(args.python_dir)), "python-tests"))
        from caracal_test_support import MemoryKvHost

        kv_host = MemoryKvHost()
        kv_host.requests = Discard()
        kv_store.use_store(kv_store.BridgedKeyValueStore(kv_host.call))

        loaded = json.loads(harness.load_content(payload))
        startup = time.perf_counter() - started

        for batch in (batches * (args.warmup // max(len(batches), 1) + 1))[: args.warmup]:
            harness.evaluate_batch(batch)

        summary, first_errors = {}, {}
        for batch in batches:
            summarise(harness.evaluate_batch(batch), summary, first_errors)
        reply({
            "python": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "startupSeconds": startup,
            "loadErrors": loaded["loadErrors"],
            "rules": loaded["rules"],
            "eventsPerPass": events_per_pass,
            "outcomes": summary,
            "firstErrors": first_errors,
        })

        for line in sys.stdin:
            command = line.split()
            if command == ["pass"]:
                reply(timed_pass(harness, batches))
            elif len(command) == 2 and command[0] == "profile":
                reply(profiled_pass(harness, batches, int(command[1])))
            elif command:
                reply({"error": f"unknown command {line.strip()!r}"})


if __name__ == "__main__":
    main()
