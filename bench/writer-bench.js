// The clickhouse-writer path against a raw bulk insert of the same rows, on
// chDB, in one process:
// - writer: the rows are published (untimed) to logs.panther_audit through the
//   product's bus adapter; then the writer service itself (EventWriterService:
//   its Kafka consumer group, JSON parse, routing, writeBatch with the dedup
//   token) consumes them into panther_logs.panther_audit; timed from its first
//   batch to the batch that brings the lake to N rows (each batch's insert is
//   awaited before the next; the count is checked after).
// - raw: the same row objects inserted into the same (re-created) table with
//   @caracal/lake's client, JSONEachRow, in batches of the sizes the writer's
//   consumer handed it, one after another.
// Runs alternate (writer first, then raw first, ...), each on a fresh table.
// Usage: npm run bench -- writer [--rows N] [--runs N] [--tenants N] [--partitions N] [--brokers host:port]
'use strict';
const fs = require('node:fs');
const { createMessageBus } = require('../packages/bus/dist');
const { CaracalMetrics } = require('../packages/core/dist/observability');
const { createLogger, loadConfig } = require('../packages/core/dist');
const { Topics } = require('../packages/bus/dist');
const { applyLakeSchema, createLakeClient, lakeDdl } = require('../packages/lake/dist');
const { EventWriterService } = require('../services/clickhouse-writer/dist');
const { percentile } = require('./bench-options');
const { benchBroker, benchOptions, machineLine, tempDir, waitUntil } = require('./pipeline-processes');
const { auditEvents } = require('./audit-event-generator');

const TABLE = 'panther_logs.panther_audit';
const LOGS = Topics.logs('Panther.Audit');

async function freshTable(lake) {
  await lake.command({ query: `DROP TABLE IF EXISTS ${TABLE} SYNC` });
  const ddl = lakeDdl().find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${TABLE} `));
  await lake.command({ query: ddl });
}

async function lakeCount(lake) {
  const [r] = await (await lake.query({ query: `SELECT count() AS n, uniqExact(p_row_id) AS u FROM ${TABLE}`, format: 'JSONEachRow' })).json();
  return { rows: Number(r.n), unique: Number(r.u) };
}

function configFor(brokers, dataDir, prefix, partitions) {
  return loadConfig({
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: brokers,
    // Required in kafka mode; only rules-workers connect to it.
    CARACAL_REDIS_URL: 'redis://127.0.0.1:6379',
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_KAFKA_TOPIC_PARTITIONS: String(partitions),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_LOG_LEVEL: 'silent',
  });
}

async function writerRun(ctx, run) {
  const logger = createLogger('silent');
  const prefix = `bench-writer-${process.pid}-${run}-`;
  const config = configFor(ctx.brokers, ctx.dataDir, prefix, ctx.partitions);
  const bus = createMessageBus(config, logger);
  await freshTable(ctx.lake);
  await bus.ensureTopics([LOGS]);
  const producer = await bus.producer();
  for (let i = 0; i < ctx.messages.length; i += 1000) await producer.send(LOGS, ctx.messages.slice(i, i + 1000));
  await producer.disconnect();

  // The metrics registry argument exists once the observability work has landed; an older service ignores it.
  const metrics = CaracalMetrics ? new CaracalMetrics({ defaultMetrics: false }) : undefined;
  const service = new EventWriterService(bus, ctx.lake, config, logger, metrics);
  const sizes = [];
  const insertMs = [];
  let written = 0;
  let first;
  let last;
  const handle = service.handle.bind(service);
  service.handle = async (batch) => {
    const t = performance.now();
    first ??= t;
    await handle(batch);
    const end = performance.now();
    insertMs.push(end - t);
    sizes.push(batch.messages.length);
    written += batch.messages.length;
    if (written >= ctx.rows.length) last ??= end;
  };
  const started = performance.now();
  await service.onApplicationBootstrap();
  try {
    await waitUntil('the writer to handle every row', () => last !== undefined, 600_000, 20);
  } finally {
    await service.onApplicationShutdown();
    await bus.close();
  }
  const count = await lakeCount(ctx.lake);
  if (count.rows !== ctx.rows.length || count.unique !== ctx.rows.length) throw new Error(`writer run: the lake holds ${count.rows} rows (${count.unique} unique), expected ${ctx.rows.length}`);
  ctx.sizes = sizes;
  return { kind: 'writer', seconds: (last - first) / 1000, joinSeconds: (first - started) / 1000, batches: sizes.length, batchMs: insertMs };
}

async function rawRun(ctx, run) {
  await freshTable(ctx.lake);
  const sizes = ctx.sizes;
  const batchMs = [];
  const t0 = performance.now();
  for (let i = 0, b = 0; i < ctx.rows.length; i += sizes[b], b++) {
    const t = performance.now();
    await ctx.lake.insert({
      table: TABLE,
      values: ctx.rows.slice(i, i + sizes[b]),
      format: 'JSONEachRow',
      // A token of its own per batch, like the writer's: chDB's connection keeps the last
      // insert_deduplication_token for later inserts that set none, which would drop them as repeats.
      clickhouse_settings: { insert_deduplication_token: `raw-${run}-${b}`, date_time_input_format: 'best_effort' },
    });
    batchMs.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  const count = await lakeCount(ctx.lake);
  if (count.rows !== ctx.rows.length) throw new Error(`raw run: the lake holds ${count.rows} rows, expected ${ctx.rows.length}`);
  return { kind: 'raw', seconds, batches: sizes.length, batchMs };
}

async function main(argv) {
  const opts = benchOptions(argv, { rows: 100_000, runs: 2, tenants: 4, partitions: 4 });
  const wall = performance.now();
  const broker = benchBroker(opts.brokers);
  const dataDir = tempDir('writer-bench');
  const lake = createLakeClient(configFor(broker.brokers, dataDir, 'unused-', opts.partitions));
  try {
    await applyLakeSchema(lake);
    const perTenant = Math.ceil(opts.rows / opts.tenants);
    const rows = [];
    for (let t = 0; t < opts.tenants; t++) rows.push(...auditEvents(Math.min(perTenant, opts.rows - rows.length), { tenantId: `writer-${t}`, seed: 100 + t }));
    const messages = rows.map((r) => ({ key: r.p_tenant_id, value: JSON.stringify(r) }));
    const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m.value), 0);
    const ctx = { brokers: broker.brokers, dataDir, lake, rows, messages, partitions: opts.partitions, sizes: undefined };

    const results = [];
    for (let run = 0; run < opts.runs; run++) {
      // Raw needs the writer's batch sizes, so the first run starts with the writer.
      if (run % 2 === 0) results.push(await writerRun(ctx, run), await rawRun(ctx, run));
      else results.push(await rawRun(ctx, run), await writerRun(ctx, run));
    }

    const mib = bytes / 1048576;
    console.log(`\n### writer: clickhouse-writer path vs raw bulk insert, chDB — ${new Date().toISOString().slice(0, 10)}\n`);
    console.log(`command: npm run bench -- writer ${argv.join(' ')}`.trimEnd());
    console.log(machineLine());
    console.log(`broker: ${broker.started ? `bench broker ${broker.brokers} (scripts/kafka.sh, fresh)` : broker.brokers}`);
    console.log(`rows: ${opts.rows} normalized Panther.Audit rows of ${opts.tenants} tenants (${(bytes / opts.rows).toFixed(0)} B of JSON each, ${mib.toFixed(1)} MiB) on ${opts.partitions} partitions into ${TABLE} (chDB); batches as the writer's consumer handed them (mean ${Math.round(opts.rows / ctx.sizes.length)} rows)\n`);
    console.log('| run | path | seconds | rows/s | MiB/s | batches | batch p50 ms | batch p99 ms |');
    console.log('|---|---|---|---|---|---|---|---|');
    results.forEach((r, i) => {
      const ms = [...r.batchMs].sort((a, b) => a - b);
      const label = r.kind === 'writer' ? 'writer service (Kafka consumer -> writeBatch -> chDB)' : 'raw insert (lake client, JSONEachRow)';
      console.log(`| ${Math.floor(i / 2) + 1} | ${label} | ${r.seconds.toFixed(2)} | ${Math.round(opts.rows / r.seconds)} | ${(mib / r.seconds).toFixed(1)} | ${r.batches} | ${percentile(ms, 50).toFixed(1)} | ${percentile(ms, 99).toFixed(1)} |`);
    });
    const med = (kind) => {
      const s = results.filter((r) => r.kind === kind).map((r) => r.seconds).sort((a, b) => a - b);
      return (s[Math.floor((s.length - 1) / 2)] + s[Math.floor(s.length / 2)]) / 2;
    };
    const inHandle = results.filter((r) => r.kind === 'writer').map((r) => `${(r.batchMs.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} of ${r.seconds.toFixed(1)} s`);
    console.log(`\nwriter time inside its batch handler (JSON parse, routing, insert), the rest waiting on Kafka fetches: ${inHandle.join('; ')}`);
    console.log(`writer / raw throughput (median runs): ${(med('raw') / med('writer')).toFixed(2)}x; writer group join before the first batch: ${results.filter((r) => r.kind === 'writer').map((r) => r.joinSeconds.toFixed(1)).join(', ')} s (not in the numbers); RSS ${Math.round(process.memoryUsage().rss / 1048576)} MiB; bench wall time ${((performance.now() - wall) / 1000).toFixed(0)} s`);
  } finally {
    await lake.close().catch(() => undefined);
    broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

module.exports = { main };
