// HTTP ingest on one machine, embedded mode (the durable local log in place
// of Kafka): NDJSON bodies of Panther.Audit events posted by concurrent
// clients in the same process, through authentication, body reading,
// normalization and the acknowledged publish. Also normalization alone, to
// show its share. Usage: npm run bench -- ingest [--events N] [--batch N] [--concurrency N]
'use strict';
const { wholeNumberOptions, percentile } = require('./bench-options');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createHmac } = require('node:crypto');
const { createLogger, loadConfig } = require('../packages/core/dist');
const { ControlStore } = require('../packages/core/dist/control-plane');
const { logSchema, normalizeEvent } = require('../packages/core/dist/log-schemas');
const { startCaracal } = require('../packages/runtime/dist');
const { auditEvents } = require('./audit-event-generator');

/** The generator writes normalized rows; a sender sends the raw fields only. */
function rawEvents(count) {
  return auditEvents(count).map((e) => Object.fromEntries(Object.entries(e).filter(([k, v]) => !k.startsWith('p_') && v !== undefined)));
}

async function postAll(base, bodies, concurrency, headersFor) {
  const latencies = [];
  let next = 0;
  let accepted = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t = process.hrtime.bigint();
        const res = await fetch(base, { method: 'POST', headers: headersFor(body), body });
        const answer = await res.json();
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        accepted += answer.accepted;
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { accepted, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main(argv) {
  const opts = wholeNumberOptions(argv, { events: 100_000, batch: 500, concurrency: 4 });
  const events = rawEvents(opts.events);
  const bodies = [];
  for (let i = 0; i < events.length; i += opts.batch) bodies.push(events.slice(i, i + opts.batch).map((e) => JSON.stringify(e)).join('\n'));
  const bodyBytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);

  const schema = logSchema('Panther.Audit');
  const ctx = { tenantId: 'bench', sourceId: 'bench', sourceLabel: 'bench', parseTime: new Date() };
  const t = process.hrtime.bigint();
  for (const e of events) if (!normalizeEvent(schema, e, ctx).ok) throw new Error('a generated event did not normalize');
  const normalizeUs = Number(process.hrtime.bigint() - t) / 1e3 / events.length;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-ingest-bench-'));
  const config = loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_HTTP_PORT: '0', CARACAL_OPS_PORT: '0', CARACAL_LOG_LEVEL: 'silent', CARACAL_INGEST_RATE_LIMIT_PER_SECOND: '100000' });
  const control = ControlStore.open(config.controlFile);
  control.createTenant('bench');
  const shared = control.createSource({ id: 'shared', tenantId: 'bench', logType: 'Panther.Audit' }).secret;
  const hmacKey = control.createSource({ id: 'signed', tenantId: 'bench', logType: 'Panther.Audit', authMode: 'hmac-sha256' }).secret;
  const running = await startCaracal(config, ['ingest'], createLogger('silent'));
  const base = `http://127.0.0.1:${running.httpPort}/http`;
  try {
    // One pass to warm the JIT and the log's files, not counted.
    await postAll(`${base}/shared`, bodies.slice(0, Math.min(20, bodies.length)), opts.concurrency, () => ({ 'x-caracal-secret': shared }));
    const runs = {
      'shared-secret header': await postAll(`${base}/shared`, bodies, opts.concurrency, () => ({ 'x-caracal-secret': shared })),
      'HMAC-SHA256 of the body': await postAll(`${base}/signed`, bodies, opts.concurrency, (body) => ({
        'x-caracal-signature-256': `sha256=${createHmac('sha256', hmacKey).update(body).digest('hex')}`,
      })),
    };
    console.log(`machine: ${os.cpus().length} x ${os.cpus()[0].model}, Node ${process.version}`);
    console.log(`${opts.events} events in ${bodies.length} NDJSON bodies of ${opts.batch} (${(bodyBytes / bodies.length / 1024).toFixed(0)} KiB each), ${opts.concurrency} concurrent clients`);
    console.log(`normalization alone: ${normalizeUs.toFixed(1)} us per event (${Math.round(1e6 / normalizeUs)} events/s on one core)`);
    console.log('| auth | events/s | MiB/s | request p50 ms | request p99 ms |');
    console.log('|---|---|---|---|---|');
    for (const [name, r] of Object.entries(runs)) {
      if (r.accepted !== opts.events) throw new Error(`${name}: ${r.accepted} of ${opts.events} accepted`);
      console.log(`| ${name} | ${Math.round(r.accepted / r.seconds)} | ${(bodyBytes / 1048576 / r.seconds).toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
    }
    console.log(`RSS after: ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
  } finally {
    await running.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

module.exports = { main };
