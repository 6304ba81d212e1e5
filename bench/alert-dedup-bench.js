// The alert stage's own work per batch, without the broker: parse the rule
// outputs, fold them into alerts (dedupOutputs), serialise what it publishes.
// Usage: npm run bench -- alerts [--outputs N] [--keys N] [--batch N]
'use strict';
const { wholeNumberOptions } = require('./bench-options');
const { dedupOutputs } = require('../services/alert-stage/dist');
const { alertDedupKey, toClickHouseTime } = require('../packages/core/dist/messages');
const { auditEvents } = require('./audit-event-generator');

const RULE = { ruleId: 'Bench.Rule', ruleSeverity: 'HIGH', dedupPeriodMinutes: 60, threshold: 1, createAlert: true, outputIds: [], tags: ['bench'], reports: {} };

/** Rule-match messages as a rules-worker publishes them: JSON, keyed, in source order. */
function messages(opts) {
  const events = auditEvents(Math.min(opts.outputs, 10_000), { tenantId: 'bench' });
  const now = Date.now();
  return Array.from({ length: opts.outputs }, (_, i) => {
    const dedup = `actor-${i % opts.keys}`;
    const match = {
      tenantId: 'bench',
      rule: RULE,
      event: { ...events[i % events.length], p_event_time: toClickHouseTime(new Date(now - 1000)) },
      source: { topic: 'logs.panther_audit', partition: 0, offset: String(i) },
      matchedAtMs: now + i,
      title: `Activity by ${dedup}`,
      dedup,
      severity: 'HIGH',
      alertContext: { actor: dedup },
      description: '',
      reference: '',
      runbook: '',
      destinations: null,
      auxErrors: [],
    };
    return { key: alertDedupKey('bench', RULE.ruleId, 'RULE', dedup), value: Buffer.from(JSON.stringify(match)) };
  });
}

function run(all, opts, replay) {
  const store = new Map();
  const batchMs = [];
  let published = 0;
  let replays = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  for (let i = 0; i < all.length; i += opts.batch) {
    const slice = all.slice(i, i + opts.batch);
    const batches = replay ? [slice, slice] : [slice];
    for (const b of batches) {
      const t = process.hrtime.bigint();
      const outputs = b.map((m) => ({ kind: 'match', match: JSON.parse(m.value.toString('utf8')) }));
      const r = dedupOutputs(outputs, (k) => store.get(k));
      published += r.events.map((e) => JSON.stringify(e)).length + r.alerts.map((a) => JSON.stringify(a)).length;
      for (const a of r.alerts) store.set(a.dedupKey, a);
      replays += r.replays;
      batchMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  batchMs.sort((a, b) => a - b);
  const pct = (p) => batchMs[Math.min(batchMs.length - 1, Math.floor(p * batchMs.length))].toFixed(2);
  const counted = [...store.values()].reduce((n, a) => n + a.eventCount, 0);
  return { seconds, rate: Math.round((all.length * (replay ? 2 : 1)) / seconds), p50: pct(0.5), p99: pct(0.99), replays, counted, published, heapMb: ((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(1) };
}

async function main(argv) {
  const opts = wholeNumberOptions(argv, { outputs: 200_000, keys: 1000, batch: 1000 });
  const all = messages(opts);
  run(all.slice(0, Math.min(all.length, 20_000)), opts, false); // warm-up
  const plain = run(all, opts, false);
  const replayed = run(all, opts, true);
  if (plain.counted !== opts.outputs || replayed.counted !== opts.outputs || replayed.replays !== opts.outputs) {
    throw new Error(`counts are off: ${JSON.stringify({ plain, replayed })}`);
  }
  console.log(`alert stage, ${opts.outputs} rule matches over ${opts.keys} dedup keys, batches of ${opts.batch}, node ${process.version}`);
  console.log('| run | outputs/s | batch p50 ms | batch p99 ms | heap growth MB |');
  console.log('|---|---|---|---|---|');
  console.log(`| every output new | ${plain.rate} | ${plain.p50} | ${plain.p99} | ${plain.heapMb} |`);
  console.log(`| every batch delivered twice (half are replays) | ${replayed.rate} | ${replayed.p50} | ${replayed.p99} | ${replayed.heapMb} |`);
}

module.exports = { main };
