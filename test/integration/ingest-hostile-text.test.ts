import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { Topics } from '@caracal/bus';
import { deleteDetectionEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { groupLag } from '../support/kafka-lag';
import { IngestLakeStack, startIngestLakeStack } from '../support/ingest-lake-stack';
import { waitFor } from '../support/wait-for';

// Bodies a red team sent that each stopped the lake for every tenant: a lone
// surrogate escape ingest accepted and ClickHouse refused, and one body whose
// events span more months than one insert may. Both must now reach the lake,
// with the writer going on to what comes after them.
let stack: IngestLakeStack;

before(async () => {
  stack = await startIngestLakeStack('ingest-hostile');
});

after(async () => {
  await stack?.close();
});

async function written(): Promise<void> {
  await waitFor('the writer committed every event', async () => ((await groupLag(stack.prefix, EVENT_WRITER_GROUP, [Topics.logs('Panther.Audit')])) === 0 ? true : undefined));
}

test('an event with a lone surrogate escape is accepted, repaired, and lands in the lake; the events after it too', async () => {
  // The body as the red team sent it: the JSON escape itself, in a value and in a key.
  const body = `{"actionName":"LONE\\ud800SURROGATE","actionResult":"SUCCEEDED","actionParams":{"\\udc00k":"v"},"actor":{"id":"u-1","type":"USER"},"pantherVersion":"1.0","timestamp":"${new Date().toISOString()}"}`;
  const first = await postToSource(stack.base, 'acme-audit', body, { 'x-caracal-secret': stack.secret });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.accepted, 1);
  const after = await postToSource(stack.base, 'acme-audit', JSON.stringify(deleteDetectionEvent('After.Surrogate')), { 'x-caracal-secret': stack.secret });
  assert.equal(after.status, 200);
  await written();
  const result = await stack.client.executeQuery(
    "SELECT actionName, toString(actionParams) AS params FROM panther_logs.panther_audit WHERE actionName LIKE 'LONE%' OR actionName = 'DELETE_DETECTION' ORDER BY actionName",
  );
  assert.deepEqual(
    result.rows.map((r) => [r.actionName, r.params]),
    [
      ['DELETE_DETECTION', '{"dynamic":{"input":{"detections":[{"id":"After.Surrogate"}]}}}'],
      ['LONE\ufffdSURROGATE', '{"\ufffdk":"v"}'],
    ],
  );
});

test('one body of 150 events in 150 months lands whole', async () => {
  const events = Array.from({ length: 150 }, (_, i) => ({
    actionName: 'MONTHS',
    actionResult: 'SUCCEEDED',
    actor: { id: `u-${i}`, type: 'USER' },
    pantherVersion: '1.0',
    timestamp: new Date(Date.UTC(2000, i, 15)).toISOString(),
  }));
  const answer = await postToSource(stack.base, 'acme-audit', JSON.stringify(events), { 'x-caracal-secret': stack.secret });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.accepted, 150);
  await written();
  const result = await stack.client.executeQuery(
    "SELECT count() AS rows, uniqExact(p_row_id) AS ids, uniqExact(toYYYYMM(p_event_time)) AS months FROM panther_logs.panther_audit WHERE actionName = 'MONTHS'",
  );
  assert.deepEqual(result.rows.map((r) => [Number(r.rows), Number(r.ids), Number(r.months)]), [[150, 150, 150]]);
});

test('a refused event whose quoted value is cut inside a surrogate pair reaches ingest_rejections', async () => {
  const marker = `cut-${Date.now()}`;
  const event = { ...deleteDetectionEvent(), actionResult: `a${'😀'.repeat(60)}`, marker };
  const answer = await postToSource(stack.base, 'acme-audit', JSON.stringify(event), { 'x-caracal-secret': stack.secret });
  assert.equal(answer.status, 400, 'every event of the body refused');
  const rows = await waitFor('the rejection in the lake', async () => {
    const r = await stack.client.executeQuery(`SELECT problems.problem AS problems FROM panther_monitor.ingest_rejections WHERE position(raw, '${marker}') > 0`);
    return r.rows.length > 0 ? r.rows : undefined;
  });
  assert.match(String((rows[0].problems as string[])[0]), /got "a(😀)+\ufffd\.\.\./u);
});
