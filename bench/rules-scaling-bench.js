// Rule evaluation in kafka mode with 1 and then 2 rules-worker processes (one
// detection thread each) on the same workload: the e2e bench's events,
// normalized as ingest normalizes them and published through the product's
// bus adapter to logs.panther_audit, keyed by tenant. The workers are warmed
// (every tenant's interpreter started), held with SIGSTOP while the events are
// published, and let go: events/s evaluated is the time from SIGCONT until the
// group has committed every event, and each process's CPU over that time is
// read from /proc/<pid>/stat.
// Usage: npm run bench -- scaling [--events N] [--tenants N] [--partitions N] [--warmup N] [--max N]
//        [--brokers host:port] [--redis redis://host:port]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createMessageBus } = require('../packages/bus/dist');
const { createLogger, loadConfig } = require('../packages/core/dist');
const { Topics } = require('../packages/bus/dist');
const { logSchema, normalizeEvent } = require('../packages/core/dist/log-schemas');
const { RULES_WORKER_GROUP } = require('../services/rules-worker/dist');
const {
  BrokerWatch, ServeProcess, benchBroker, benchOptions, benchRedis, cpuSeconds, machine, machineLine, serveEnv, spreadTenants, tempDir, waitUntil,
} = require('./pipeline-processes');
const { timedEvents } = require('./pipeline-workload');

const RULES_DIR = path.join(__dirname, 'content');
const LOGS = Topics.logs('Panther.Audit');
// Held consumers send no heartbeats; past the session timeout (kafkajs: 30 s)
// the group would rebalance, so publishing must end well before.
const MAX_PAUSE_MS = 20_000;

/** Bus messages as ingest publishes them: the normalized event as JSON, keyed by tenant; tenants take turns in blocks of `block`. */
function normalizedMessages(events, tenants, block) {
  const schema = logSchema('Panther.Audit');
  const parseTime = new Date();
  return events.map((raw, i) => {
    const tenantId = tenants[Math.floor(i / block) % tenants.length];
    const r = normalizeEvent(schema, raw, { tenantId, sourceId: `${tenantId}-audit`, sourceLabel: 'bench', parseTime });
    if (!r.ok) throw new Error(`generated event ${i} did not normalize`);
    return { key: tenantId, value: JSON.stringify(r.event) };
  });
}

async function publish(bus, messages) {
  const producer = await bus.producer();
  try {
    for (let i = 0; i < messages.length; i += 1000) await producer.send(LOGS, messages.slice(i, i + 1000));
  } finally {
    await producer.disconnect();
  }
}

async function runWith(workers, opts, ctx) {
  const prefix = `bench-scaling-${workers}-${process.pid}-${Date.now()}-`;
  const dataDir = tempDir('scaling-bench');
  const env = serveEnv({
    brokers: ctx.brokers, redisUrl: ctx.redisUrl, prefix, partitions: opts.partitions, dataDir, rulesDir: RULES_DIR,
    extra: { CARACAL_DETECTION_PROCESSES_PER_TENANT: '1', CARACAL_BATCH_MAX_EVENTS: String(opts.max) },
  });
  const config = loadConfig({ ...env, CARACAL_LOG_LEVEL: 'silent' });
  const bus = createMessageBus(config, createLogger('silent'));
  const watch = new BrokerWatch(ctx.brokers, prefix);
  const procs = [];
  try {
    await bus.ensureTopics([LOGS]);
    await watch.connect();
    for (let i = 0; i < workers; i++) procs.push(new ServeProcess('rules-worker', env));
    await Promise.all(procs.map((p) => p.ready()));
    await waitUntil(`${workers} workers in a stable group`, () => watch.stableMembers(RULES_WORKER_GROUP, workers), 120_000, 250);

    await publish(bus, ctx.warm);
    await waitUntil('the warm-up to be evaluated', async () => (await watch.committed(RULES_WORKER_GROUP, LOGS)) === ctx.warm.length, 300_000, 200);

    for (const p of procs) p.pause();
    const pausedAt = performance.now();
    try {
      await publish(bus, ctx.timed);
    } finally {
      for (const p of procs) p.resume();
    }
    const pausedMs = performance.now() - pausedAt;
    if (pausedMs > MAX_PAUSE_MS) console.error(`scaling: publishing took ${(pausedMs / 1000).toFixed(1)} s with the workers held; a rebalance may be in the numbers`);
    const t0 = performance.now();
    const cpu0 = procs.map((p) => cpuSeconds(p.pid));
    const target = ctx.warm.length + ctx.timed.length;
    await waitUntil('every event evaluated', async () => (await watch.committed(RULES_WORKER_GROUP, LOGS)) >= target, 600_000, 50);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = procs.map((p, i) => (cpuSeconds(p.pid) - cpu0[i]) / seconds);
    return { workers, seconds, rate: ctx.timed.length / seconds, cpu, matches: await watch.published(Topics.ruleMatches) };
  } finally {
    await watch.disconnect().catch(() => undefined);
    await Promise.all(procs.map((p) => p.stop()));
    await bus.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(argv) {
  const opts = benchOptions(argv, { events: 30_000, tenants: 4, partitions: 4, warmup: 200, max: 1000 });
  if (opts.partitions < 2) throw new Error('--partitions must be at least 2: each worker needs a partition of its own');
  const started = performance.now();
  const broker = benchBroker(opts.brokers);
  const redis = benchRedis(opts.redis);
  try {
    const tenants = spreadTenants(opts.tenants, opts.partitions, 'scaling');
    const baseMs = Date.now() - 3600_000;
    const ctx = {
      brokers: broker.brokers,
      redisUrl: redis.url,
      warm: normalizedMessages(timedEvents(opts.warmup * tenants.length, baseMs - 86_400_000, 7), tenants, opts.warmup),
      timed: normalizedMessages(timedEvents(opts.events, baseMs, 20240305), tenants, 500),
    };
    const runs = [];
    for (const workers of [1, 2]) runs.push(await runWith(workers, opts, ctx));
    const bytes = ctx.timed.reduce((n, m) => n + Buffer.byteLength(m.value), 0);

    console.log(`\n### scaling: 1 and 2 rules-worker processes — ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`command: npm run bench -- scaling ${argv.join(' ')}`.trimEnd());
    console.log(machineLine());
    console.log(`broker: ${broker.started ? `bench broker ${broker.brokers} (scripts/kafka.sh, fresh)` : broker.brokers}; each rules-worker: CARACAL_DETECTION_PROCESSES_PER_TENANT=1, CARACAL_BATCH_MAX_EVENTS=${opts.max}`);
    console.log(`workload: ${opts.events} normalized Panther.Audit events (${(bytes / opts.events).toFixed(0)} B each) of ${tenants.length} tenants on ${opts.partitions} partitions, rules bench/content (10 rules), after a warm-up of ${ctx.warm.length}; published while the workers were held (SIGSTOP), timed from SIGCONT to the group's last commit\n`);
    console.log('| rules-worker processes | seconds | events/s evaluated | CPU per worker process (1.0 = one core) | events per worker CPU-second | vs 1 process |');
    console.log('|---|---|---|---|---|---|');
    for (const r of runs) {
      console.log(`| ${r.workers} | ${r.seconds.toFixed(1)} | ${Math.round(r.rate)} | ${r.cpu.map((c) => c.toFixed(2)).join(' + ')} | ${Math.round(r.rate / r.cpu.reduce((a, b) => a + b, 0))} | ${(r.rate / runs[0].rate).toFixed(2)}x |`);
    }
    console.log(`\nnproc ${machine().cores}: two workers reach 2x only with two cores free for them (the broker and other processes share them); load average at the end: ${machine().load}`);
    console.log(`rule matches published per run (warm-up included): ${runs.map((r) => r.matches).join(', ')}; bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    redis.stop();
    broker.stop();
  }
}

module.exports = { main };
