#!/usr/bin/env bash
# The full test suite: set-up, a fresh single-node Kafka broker and Redis
# server, every test tier, and a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node 26 (fetched by scripts/node.sh if this machine lacks it) first on PATH:
# set-up, the test runner and every process the tests start run on it; the
# tests start their children with process.execPath or `node` from PATH.
PATH="$(bash scripts/node.sh bin-dir):$PATH"
export PATH
echo "test: Node $(node --version) at $(command -v node)" >&2

bash scripts/setup.sh

# The trap is set before either server starts, so a failed start of one
# still stops the other.
trap 'bash scripts/kafka.sh stop >/dev/null 2>&1 || true; bash scripts/redis.sh stop >/dev/null 2>&1 || true' EXIT
broker_line=$(bash scripts/kafka.sh start --fresh | tail -n 1)
export CARACAL_TEST_KAFKA_BROKERS="${broker_line#CARACAL_KAFKA_BROKERS=}"
echo "test: Kafka broker at $CARACAL_TEST_KAFKA_BROKERS" >&2
# Kafka mode's detections cache; the Redis tests and the kafka e2e use it.
redis_line=$(bash scripts/redis.sh start --fresh | tail -n 1)
export CARACAL_TEST_REDIS_URL="${redis_line#CARACAL_REDIS_URL=}"
echo "test: Redis at $CARACAL_TEST_REDIS_URL" >&2

mapfile -t files < <(find packages/*/dist services/*/dist test/dist -name '*.test.js' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "test: no test files found" >&2; exit 1; fi

mkdir -p .tmp
report=.tmp/test-report.tap
set +e
node --test --test-reporter=tap "${files[@]}" | tee "$report"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -E '^# pass ' "$report" | tail -n 1 | awk '{print $3}')
failed=$(grep -E '^# fail ' "$report" | tail -n 1 | awk '{print $3}')
passed=${passed:-0}
failed=${failed:-0}
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "test: no test ran" >&2; status=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
