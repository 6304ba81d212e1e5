// `npm run bench -- <name> [options]`: runs one benchmark (after `npm run setup`,
// which builds the packages and fetches the Python wheels they load).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const BENCHES = {
  rules: ['rules-vs-native-bench.js', 'the detection engine (Pyodide) against native CPython on typical rules'],
  batch: ['detections-batch.js', 'one batch of 1000 events against rules/panther_audit'],
  alerts: ['alert-dedup-bench.js', "the alert stage's dedup and threshold work per batch, without the broker"],
  query: ['query-bench.js', 'tenant SQL through the query service against the same SQL bare, on chDB'],
  replay: ['replay-bench.js', "a detection replayed over a tenant's events in the lake (chDB pages, Pyodide, dedup fold): events/s, lake and Python seconds, peak RSS"],
  send: ['cli-send-bench.js', 'caracal send on large NDJSON and JSON-array files to an HMAC-checking sink: events/s, MB/s, bodies, peak RSS of the caracal process'],
  ingest: ['ingest-bench.js', 'HTTP ingest (auth, bodies, normalization, acknowledged publish) in embedded mode'],
  'embedded-memory': ['embedded-memory-bench.js', 'embedded mode memory that grows with events seen: the seen-events store per entry, and the local log reopened after a million events'],
  embedded: ['embedded-bench.js', 'embedded mode as a user runs it (caracal start, caracal send): events/s evaluated and in the lake, CPU and RSS of its process tree'],
  e2e: ['e2e-kafka-bench.js', 'kafka mode, one process per service: events/s through the pipeline, ingest-to-alert latency, CPU per event of each process, pipeline/native ratio'],
  scaling: ['rules-scaling-bench.js', 'kafka mode: events/s evaluated by 1 and by 2 rules-worker processes'],
  writer: ['writer-bench.js', 'the clickhouse-writer path (Kafka -> chDB) against a raw bulk insert of the same rows'],
  'kafka-clients': ['kafka-clients-bench.js', 'kafkajs against @platformatic/kafka and @confluentinc/kafka-javascript (installed into .cache on first use): produce (acks=all) and group consume, CPU per message of client and broker'],
  'panther-content': ['panther-content-bench.js', 'caracal test against panther_analysis_tool on a content tree: time, memory, test-by-test agreement'],
  'stream-parity': ['stream-parity-bench.js', 'every rule test of a content tree whose log type Caracal ingests, sent through HTTP ingest to caracal start: does the stream agree with ExpectedResult'],
  'python-packages': ['python-packages-bench.js', 'interpreter start without the Python packages, and the first import of each'],
};

function usage() {
  const lines = Object.entries(BENCHES).map(([name, [, about]]) => `  ${name.padEnd(13)} ${about}`);
  return `usage: npm run bench -- <name> [options]\n${lines.join('\n')}`;
}

const [name, ...args] = process.argv.slice(2);
if (!name || !(name in BENCHES)) {
  console.error(name ? `unknown bench ${name}\n${usage()}` : usage());
  process.exit(2);
}
if (!fs.existsSync(path.join(__dirname, '..', 'packages', 'detections', 'dist', 'index.js'))) {
  console.error('bench: the packages are not built; run `npm run setup` first');
  process.exit(1);
}
const bench = require(`./${BENCHES[name][0]}`);
// Benches that export main take their options; the others run when loaded.
if (typeof bench.main === 'function') {
  bench.main(args).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
