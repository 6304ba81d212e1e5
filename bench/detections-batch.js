// Times one evaluate() of 1000 Panther.Audit events against rules/panther_audit.
// Usage (after `npx tsc -b packages/detections`): node bench/detections-batch.js
'use strict';
const path = require('node:path');
const { loadContent, DetectionEngine } = require('../packages/detections/dist');

const TENANT = 'bench';
const BATCH = 1000;
const ROUNDS = 10;

function auditEvent(i, actionName) {
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: TENANT,
    p_row_id: `bench-${i}`,
    p_event_time: '2024-03-05 17:42:09.512',
    p_parse_time: '2024-03-05 17:42:10.000',
    p_source_id: 's',
    p_source_label: 'bench',
    p_schema_version: 1,
    p_any_ip_addresses: ['192.0.2.10'],
    p_any_usernames: ['Homer Simpson'],
    p_any_emails: ['homer@springfield.gov'],
    p_any_trace_ids: ['u-homer'],
    p_any_actor_ids: ['u-homer'],
    actionName,
    actionResult: 'SUCCEEDED',
    actionParams: { dynamic: { input: { detections: [{ id: `Rule.Number${i}` }] } } },
    actor: { id: `u-${i % 7}`, type: 'USER', name: 'Homer Simpson', attributes: { email: 'homer@springfield.gov' } },
    pantherVersion: '1.90.4',
    sourceIP: '192.0.2.10',
    timestamp: '2024-03-05 17:42:09.512',
  };
}

async function time(engine, events) {
  const start = process.hrtime.bigint();
  const outcomes = await engine.evaluate(TENANT, events);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, outcomes: outcomes.length };
}

(async () => {
  const content = await loadContent(path.resolve(__dirname, '../rules/panther_audit'));
  const engine = await DetectionEngine.create(content);
  const startup = await time(engine, [auditEvent(0, 'DELETE_DETECTION')]);
  console.log(`interpreter start + first event: ${startup.ms.toFixed(0)} ms`);
  const sets = {
    'all 1000 match': Array.from({ length: BATCH }, (_, i) => auditEvent(i, 'DELETE_DETECTION')),
    '10% match': Array.from({ length: BATCH }, (_, i) => auditEvent(i, i % 10 === 0 ? 'DELETE_DETECTION' : 'EXECUTE_DATA_LAKE_QUERY')),
  };
  for (const [name, events] of Object.entries(sets)) {
    const runs = [];
    for (let r = 0; r < ROUNDS; r++) runs.push(await time(engine, events));
    const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `${name}: ${runs[0].outcomes} matches; first ${runs[0].ms.toFixed(1)} ms, ` +
        `median ${sorted[Math.floor(ROUNDS / 2)].toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms over ${ROUNDS} batches`,
    );
  }
  console.log('stats', engine.stats());
  await engine.close();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
