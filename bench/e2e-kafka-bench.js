// The whole pipeline in kafka mode on a real broker, each service its own
// process as in a deployment (ingest; rules-worker; alert-stage;
// clickhouse-writer with query, which share chDB): events/s from the first
// request to (a) every event evaluated (the rules-worker group committed the
// logs topic) and (b) every event in the lake (the writer group committed it,
// after its insert; checked by a count through the query API), and the
// latency from a request's HTTP 200 to the alert stage's output for its
// matching events, read by a consumer of the bench's own group.
// A tenant batch of 500 or more is split over the detection processes, so warm-up requests carry at
// least 500 events (the request size); --warmup is the warm-up's events per tenant.
// Usage: npm run bench -- e2e [--events N] [--batch N] [--concurrency N]
//        [--tenants N] [--partitions N] [--warmup N] [--rate N] [--brokers host:port] [--redis redis://host:port]
// Without --rate every request is sent at once (throughput; the latency then includes the backlog);
// with --rate N (events/s, below the throughput) the latency is that of a pipeline keeping up.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const { CaracalClient } = require('../packages/api/dist');
const { Topics } = require('../packages/bus/dist');
const { RULES_WORKER_GROUP } = require('../services/rules-worker/dist');
const { EVENT_WRITER_GROUP } = require('../services/clickhouse-writer/dist');
const { ALERT_STAGE_GROUP } = require('../services/alert-stage/dist');
const { percentile } = require('./bench-options');
const {
  BrokerWatch, CpuLedger, ServeProcess, benchBroker, benchOptions, benchRedis, freePort, machineLine, serveEnv, spreadTenants, tempDir, waitUntil,
} = require('./pipeline-processes');
const { createTenants, eventIndex, postBodies, requestBodies, timedEvents } = require('./pipeline-workload');
const { loadContent } = require('../packages/detections/dist');
const { auditEvents } = require('./audit-event-generator');
const { startNative } = require('./native-harness');

const RULES_DIR = path.join(__dirname, 'content');
const LOGS = Topics.logs('Panther.Audit');
const SEED = 20240305;

/**
 * Native CPython running the same harness over the same content and events
 * (normalized, as the rules-worker sees them) on one core: events per
 * CPU-second, the median of three passes.
 */
async function nativeRate(count, baseMs) {
  const content = await loadContent(RULES_DIR);
  const events = auditEvents(count, { seed: SEED }).map((e, i) => ({ ...e, timestamp: new Date(baseMs + i).toISOString() }));
  const batches = [];
  for (let i = 0; i < events.length; i += 1000) batches.push(events.slice(i, i + 1000));
  const native = await startNative(content, batches, { python: process.env.CARACAL_BENCH_PYTHON || 'python3', warmup: 3 });
  try {
    for (let r = 0; r < 3; r++) await native.pass();
  } finally {
    await native.close();
  }
  const sorted = [...native.cpuSeconds].sort((a, b) => a - b);
  return { perSecond: count / sorted[1], python: native.python };
}

/**
 * Reads alert-events (one record per matched event, naming its alert) and
 * alerts (the alert records) from the beginning, with its own group, and
 * notes when each record arrived.
 */
async function startAlertReader(brokers, prefix) {
  const kafka = new Kafka({ clientId: 'caracal-bench-alerts', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  // A fetch returns as soon as a record is there, so a long idle wait costs no latency; and the
  // reader never commits (it reads from the beginning each run). Both keep the bench's own
  // requests off the broker's CPU account: with a 50 ms wait and kafkajs' commit after every
  // batch, this reader alone made more fetches and commits than all services together.
  const consumer = kafka.consumer({ groupId: `${prefix}bench-alert-reader`, maxWaitTimeInMs: 500 });
  const seen = { alertEvents: [], alerts: [], joined: false };
  consumer.on(consumer.events.GROUP_JOIN, () => (seen.joined = true));
  await consumer.connect();
  await consumer.subscribe({ topics: [prefix + Topics.alertEvents, prefix + Topics.alerts], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const at = performance.now();
      const list = batch.topic === prefix + Topics.alerts ? seen.alerts : seen.alertEvents;
      for (const m of batch.messages) list.push({ at, value: JSON.parse(m.value.toString('utf8')) });
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}

async function lakeRows(grpcPort, tokens) {
  let rows = 0;
  let unique = 0;
  for (const token of tokens.values()) {
    const client = new CaracalClient(`127.0.0.1:${grpcPort}`, token);
    try {
      const [r] = (await client.executeQuery('SELECT count() AS n, uniqExact(p_row_id) AS u FROM panther_logs.panther_audit')).rows;
      rows += Number(r.n);
      unique += Number(r.u);
    } finally {
      client.close();
    }
  }
  return { rows, unique };
}

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

async function main(argv) {
  const opts = benchOptions(argv, { events: 30_000, batch: 500, concurrency: 4, tenants: 4, partitions: 4, warmup: 5000 }, ['rate']);
  const started = performance.now();
  const broker = benchBroker(opts.brokers);
  const redis = benchRedis(opts.redis);
  const dataDir = tempDir('e2e-bench');
  const prefix = `bench-e2e-${process.pid}-${Date.now()}-`;
  const tenants = spreadTenants(opts.tenants, opts.partitions, 'e2e');
  const { secrets, tokens } = createTenants(dataDir, tenants);
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const env = serveEnv({ brokers: broker.brokers, redisUrl: redis.url, prefix, partitions: opts.partitions, dataDir, rulesDir: RULES_DIR, httpPort, grpcPort });
  const procs = [];
  const named = {};
  const watch = new BrokerWatch(broker.brokers, prefix);
  let reader;
  try {
    for (const services of ['clickhouse-writer,query', 'ingest', 'alert-stage', 'rules-worker']) {
      named[services] = new ServeProcess(services, env);
      procs.push(named[services]);
    }
    await Promise.all(procs.map((p) => p.ready()));
    await watch.connect();
    reader = await startAlertReader(broker.brokers, prefix);
    await waitUntil('the bench alert reader to join its group', () => reader.seen.joined, 60_000);
    const ingestBase = `http://127.0.0.1:${httpPort}/http`;

    // Warm-up, not counted: each tenant's interpreters start on its first batch (seconds), and the
    // JITs warm (the broker's JVM compiles for about a minute; a broker in service has long done so).
    const baseMs = Date.now() - 3600_000;
    const warm = requestBodies(timedEvents(opts.warmup * tenants.length, baseMs - 86_400_000, 7), Math.min(opts.warmup, opts.batch), tenants);
    await postBodies(ingestBase, secrets, warm, opts.concurrency);
    const warmCount = opts.warmup * tenants.length;
    await waitUntil('the warm-up to be evaluated and written', async () => (await watch.committed(RULES_WORKER_GROUP, LOGS)) === warmCount && (await watch.committed(EVENT_WRITER_GROUP, LOGS)) === warmCount, 300_000, 200);
    await waitUntil('the warm-up alerts', async () => (await watch.lag(ALERT_STAGE_GROUP, [Topics.ruleMatches, Topics.ruleErrors])) === 0, 120_000, 200);

    const events = timedEvents(opts.events, baseMs, SEED);
    const bodies = requestBodies(events, opts.batch, tenants);
    const bodyBytes = bodies.reduce((n, b) => n + Buffer.byteLength(b.body), 0);
    const target = warmCount + opts.events;
    const done = {};
    let polling = true;
    // The broker's committed offsets, polled: a group commits only after its output is durable.
    // Each poll costs the broker about 2.5 ms of CPU (an OffsetFetch through kafkajs' admin), so
    // polling every 50 ms throughout would put the bench's own load on the broker's account:
    // it polls every 250 ms until the slower group is within 10 % of the end, then every 50 ms.
    const poller = (async () => {
      let near = false;
      while (polling) {
        const now = performance.now();
        const rules = done.rules === undefined ? await watch.committed(RULES_WORKER_GROUP, LOGS) : target;
        const lake = done.lake === undefined ? await watch.committed(EVENT_WRITER_GROUP, LOGS) : target;
        if (done.rules === undefined && rules >= target) done.rules = now;
        if (done.lake === undefined && lake >= target) done.lake = now;
        if (done.rules !== undefined && done.lake !== undefined) return;
        near ||= Math.min(rules, lake) - warmCount >= 0.9 * opts.events;
        await new Promise((r) => setTimeout(r, near ? 50 : 250));
      }
    })();
    const ledger = new CpuLedger([
      ['ingest', named.ingest.pid],
      ['rules-worker (with its detection processes)', named['rules-worker'].pid],
      ['alert-stage', named['alert-stage'].pid],
      ['clickhouse-writer + query (chDB)', named['clickhouse-writer,query'].pid],
      ['Kafka broker (JVM)', broker.pid],
      ['Redis', redis.pid],
    ]);
    ledger.start();
    const t0 = performance.now();
    const sent = await postBodies(ingestBase, secrets, bodies, opts.concurrency, opts.rate);
    await waitUntil('every event evaluated and in the lake', () => done.rules !== undefined && done.lake !== undefined, 600_000, 50);
    polling = false;
    await poller;
    await waitUntil('the alert stage to catch up', async () => (await watch.lag(ALERT_STAGE_GROUP, [Topics.ruleMatches, Topics.ruleErrors])) === 0, 120_000, 100);
    ledger.stop();
    const [matchesOut, errorsOut, alertEventsOut, alertsOut] = await Promise.all([
      watch.published(Topics.ruleMatches), watch.published(Topics.ruleErrors), watch.published(Topics.alertEvents), watch.published(Topics.alerts),
    ]);
    await waitUntil('the bench reader to read every alert output', () => reader.seen.alertEvents.length >= alertEventsOut && reader.seen.alerts.length >= alertsOut, 60_000, 50);
    const lake = await lakeRows(grpcPort, tokens);
    if (lake.rows !== target || lake.unique !== target) throw new Error(`the lake holds ${lake.rows} rows (${lake.unique} unique), expected ${target}`);

    // Latency per matched event of the timed run: its request's 200 -> its record on alert-events.
    const requestOf = (i) => Math.floor(i / opts.batch);
    const perEvent = [];
    for (const r of reader.seen.alertEvents) {
      const i = eventIndex(String(r.value.row?.p_event_time), baseMs);
      if (i >= 0 && i < opts.events) perEvent.push(r.at - sent.ackedAt[requestOf(i)]);
    }
    // Per alert record of the timed run: the 200 of the request carrying the newest event it counts -> the record.
    const perAlert = [];
    for (const r of reader.seen.alerts) {
      const i = eventIndex(String(r.value.lastEventTime), baseMs);
      if (i >= 0 && i < opts.events) perAlert.push(r.at - sent.ackedAt[requestOf(i)]);
    }
    // The pipeline's processes are stopped first, so the native pass has a core to itself.
    await Promise.all(procs.map((p) => p.stop()));
    const native = await nativeRate(opts.events, baseMs);
    const ev = stats(perEvent);
    const al = stats(perAlert);
    const secs = (t) => (t - t0) / 1000;
    const rate = (t) => Math.round(opts.events / secs(t));
    const timedMatches = perEvent.length;

    console.log(`\n### e2e (kafka mode, separate processes) — ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`command: npm run bench -- e2e ${argv.join(' ')}`.trimEnd());
    console.log(machineLine());
    console.log(`broker: ${broker.started ? `bench broker ${broker.brokers} (scripts/kafka.sh, fresh)` : broker.brokers}; processes: ingest, rules-worker (CARACAL_DETECTION_PROCESSES_PER_TENANT default), alert-stage, clickhouse-writer+query`);
    console.log(`workload: ${opts.events} Panther.Audit events (bench/audit-event-generator.js) of ${tenants.length} tenants on ${opts.partitions} partitions, ${bodies.length} NDJSON requests of ${opts.batch} (${(bodyBytes / bodies.length / 1024).toFixed(0)} KiB), ${opts.concurrency} concurrent clients, ${opts.rate ? `paced at ${opts.rate} events/s` : 'sent as fast as ingest answers'}, after a warm-up of ${warmCount}`);
    console.log(`rules: bench/content (10 rules); ${timedMatches} of ${opts.events} events matched (${((100 * timedMatches) / opts.events).toFixed(1)} %); whole run incl. warm-up: ${matchesOut} rule matches, ${errorsOut} rule errors, ${alertsOut} alert records`);
    console.log(`lake: ${lake.rows} rows, ${lake.unique} unique p_row_id (expected ${target})\n`);
    console.log('| stage reached by every event | seconds from the first request | events/s |');
    console.log('|---|---|---|');
    console.log(`| ingest acknowledged (HTTP 200) | ${secs(sent.lastAck).toFixed(1)} | ${rate(sent.lastAck)} |`);
    console.log(`| rules evaluated (rules-worker group committed) | ${secs(done.rules).toFixed(1)} | ${rate(done.rules)} |`);
    console.log(`| rows in the lake (writer group committed after insert) | ${secs(done.lake).toFixed(1)} | ${rate(done.lake)} |`);
    console.log('');
    console.log('| ingest-to-alert latency | samples | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(`| matched event: its request's 200 -> its record on \`alert-events\` (names its alert) | ${ev.n} | ${ev.p50?.toFixed(0)} | ${ev.p99?.toFixed(0)} | ${ev.max?.toFixed(0)} |`);
    console.log(`| alert record on \`alerts\`: 200 of the request with the newest event it counts -> the record | ${al.n} | ${al.p50?.toFixed(0)} | ${al.p99?.toFixed(0)} | ${al.max?.toFixed(0)} |`);
    console.log(`\n${ledger.table(opts.events)}`);
    const pipelineRate = opts.events / secs(Math.max(done.rules, done.lake));
    console.log(`\nnative CPython ${native.python}, same harness, content and events, one core: ${Math.round(native.perSecond)} events per CPU-second`);
    console.log(`pipeline/native ratio: ${(pipelineRate / native.perSecond).toFixed(3)} (${Math.round(pipelineRate)} events/s evaluated and in the lake; aim >= 0.30)`);
    const reqs = stats(sent.latencies);
    console.log(`\ningest request p50 / p99: ${reqs.p50.toFixed(0)} / ${reqs.p99.toFixed(0)} ms; bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await reader?.stop().catch(() => undefined);
    await watch.disconnect().catch(() => undefined);
    await Promise.all(procs.map((p) => p.stop()));
    redis.stop();
    broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

module.exports = { main };
