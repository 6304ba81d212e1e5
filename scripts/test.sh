#!/usr/bin/env bash
# The test suite, by tier: `bash scripts/test.sh [unit|integration|e2e|fault|all]`
# (default all; npm test runs all, npm run test:<tier> one tier). Set-up runs
# first; the tiers that need them get a fresh single-node Kafka broker, Redis
# server, S3-compatible server (moto) and Prometheus, zsh and fish for the
# CLI's completion test, and for the integration tier Debian's Chromium for
# the dashboards' screenshots (installed if absent, as root). The output
# closes with a "N passed, N failed" line.
#   unit         the tests beside the code (packages/*, services/*): no broker, no Redis
#   integration  test/integration, test/security and the deploy manifests: the real broker and engines
#   e2e          test/e2e: through the public interfaces (HTTP ingest, gRPC, the CLI)
#   fault        test/fault: processes and the broker killed mid-stream
set -euo pipefail
cd "$(dirname "$0")/.."

tier="${1:-all}"
case "$tier" in
  unit | integration | e2e | fault | all) ;;
  *) echo "test: unknown tier \"$tier\"; the tiers are unit, integration, e2e, fault, all" >&2; exit 2 ;;
esac

# Node 26 (fetched by scripts/node.sh if this machine lacks it) first on PATH:
# set-up, the test runner and every process the tests start run on it; the
# tests start their children with process.execPath or `node` from PATH.
PATH="$(bash scripts/node.sh bin-dir):$PATH"
export PATH
echo "test: Node $(node --version) at $(command -v node)" >&2

bash scripts/setup.sh

test_files() {
  case "$1" in
    unit) find packages/*/dist services/*/dist -name '*.test.js' -not -path '*/node_modules/*' ;;
    integration) find test/dist/integration test/dist/security -name '*.test.js'; find test/dist -maxdepth 1 -name 'deploy-*.test.js' ;;
    e2e) find test/dist/e2e -name '*.test.js' ;;
    fault) find test/dist/fault -name '*.test.js' ;;
  esac
}
if [ "$tier" = all ]; then tiers=(unit integration e2e fault); else tiers=("$tier"); fi
files=()
for t in "${tiers[@]}"; do mapfile -t -O "${#files[@]}" files < <(test_files "$t" | sort); done
if [ "${#files[@]}" -eq 0 ]; then echo "test: no test files found for tier $tier" >&2; exit 1; fi

if [ "$tier" != unit ]; then
  # The trap is set before any server starts, so a failed start of one
  # still stops the others.
  trap 'bash scripts/kafka.sh stop >/dev/null 2>&1 || true; bash scripts/redis.sh stop >/dev/null 2>&1 || true; bash scripts/s3.sh stop >/dev/null 2>&1 || true; bash scripts/prometheus.sh stop >/dev/null 2>&1 || true' EXIT
  broker_line=$(bash scripts/kafka.sh start --fresh | tail -n 1)
  export CARACAL_TEST_KAFKA_BROKERS="${broker_line#CARACAL_KAFKA_BROKERS=}"
  echo "test: Kafka broker at $CARACAL_TEST_KAFKA_BROKERS" >&2
  # Kafka mode's detections cache; the Redis tests and the kafka e2e use it.
  redis_line=$(bash scripts/redis.sh start --fresh | tail -n 1)
  export CARACAL_TEST_REDIS_URL="${redis_line#CARACAL_REDIS_URL=}"
  echo "test: Redis at $CARACAL_TEST_REDIS_URL" >&2
  # The bucket of the S3 pull sources' tests.
  s3_line=$(bash scripts/s3.sh start --fresh | tail -n 1)
  export CARACAL_TEST_S3_ENDPOINT="${s3_line#CARACAL_S3_ENDPOINT=}"
  echo "test: S3 (moto) at $CARACAL_TEST_S3_ENDPOINT" >&2
  # zsh and fish for the CLI's completion test (bash is the machine's own).
  CARACAL_TEST_SHELLS_DIR="$(bash scripts/shells.sh fetch)"
  export CARACAL_TEST_SHELLS_DIR
  # The dashboards test points it at the Caracal it starts (file_sd targets);
  # a 1 s scrape gives rates within seconds of the first events.
  prom_lines=$(CARACAL_PROMETHEUS_SCRAPE_INTERVAL=1s bash scripts/prometheus.sh start --fresh)
  CARACAL_TEST_PROMETHEUS_URL=$(sed -n 's/^CARACAL_PROMETHEUS_URL=//p' <<<"$prom_lines")
  CARACAL_TEST_PROMETHEUS_TARGETS_DIR=$(sed -n 's/^CARACAL_PROMETHEUS_TARGETS_DIR=//p' <<<"$prom_lines")
  export CARACAL_TEST_PROMETHEUS_URL CARACAL_TEST_PROMETHEUS_TARGETS_DIR
  echo "test: Prometheus at $CARACAL_TEST_PROMETHEUS_URL" >&2
fi
if [ "$tier" = integration ] || [ "$tier" = all ]; then
  # The dashboards test screenshots in headless Chromium; browser downloads by
  # test tools are blocked here, Debian's package is not. Without it (and
  # without root to install it) that test fails and says so.
  chromium_bin="${CARACAL_TEST_CHROMIUM:-/usr/bin/chromium}"
  if [ ! -x "$chromium_bin" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing Debian's chromium for the dashboards test" >&2
    timeout 600 apt-get install -y -q chromium >&2 || { timeout 300 apt-get update -q >&2 && timeout 600 apt-get install -y -q chromium >&2; } || echo "test: chromium could not be installed" >&2
  fi
fi
echo "test: tier $tier, ${#files[@]} test files" >&2

mkdir -p .tmp
report=.tmp/test-report-$tier.tap
set +e
# The unit tier spends most of its time waiting on detection processes, not
# on the CPU: run alone, three files at a time roughly halves it. The full run
# keeps the runner's default, which the integration tests' timings assume.
concurrency=()
if [ "$tier" = unit ]; then concurrency=(--test-concurrency=3); fi
node --test "${concurrency[@]}" --test-reporter=tap "${files[@]}" | tee "$report"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -E '^# pass ' "$report" | tail -n 1 | awk '{print $3}')
failed=$(grep -E '^# fail ' "$report" | tail -n 1 | awk '{print $3}')
passed=${passed:-0}
failed=${failed:-0}
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "test: no test ran" >&2; status=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
