import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { Topics } from '@caracal/bus';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { groupLag, topicMessageCount } from '../support/kafka-lag';
import { IngestLakeStack, startIngestLakeStack } from '../support/ingest-lake-stack';
import { waitFor } from '../support/wait-for';

// A sender that got 503 for a publish that landed after all sends the same
// body again: the logs topic then holds each of its events twice, at other
// offsets. The writer must still keep one row per event.
let stack: IngestLakeStack;

before(async () => {
  stack = await startIngestLakeStack('writer-resent');
});

after(async () => {
  await stack?.close();
});

test('events sent twice reach the topic twice and the lake once: rows equal unique row ids equal events', async () => {
  const base = stack.base;
  const h = { 'x-caracal-secret': stack.secret };
  const first = [dataLakeQueryEvent('a@example.com'), deleteDetectionEvent('X.One', 'b@example.com'), deleteDetectionEvent('X.Two', 'c@example.com')];
  const body = JSON.stringify(first);
  for (const send of [body, body, JSON.stringify([...first.slice(1), dataLakeQueryEvent('d@example.com')])]) {
    const answer = await postToSource(base, 'acme-audit', send, h);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  }
  const topic = Topics.logs('Panther.Audit');
  // The check is only worth something if the copies really are in the topic.
  assert.equal(await topicMessageCount(stack.prefix, topic), 9, 'the topic holds every copy');
  await waitFor('the writer committed every message', async () => ((await groupLag(stack.prefix, EVENT_WRITER_GROUP, [topic])) === 0 ? true : undefined), 60_000);
  const result = await stack.client.executeQuery('SELECT count() AS rows, uniqExact(p_row_id) AS ids FROM panther_logs.panther_audit');
  assert.deepEqual(result.rows.map((r) => [Number(r.rows), Number(r.ids)]), [[4, 4]], 'one row per distinct event, without FINAL');
});
