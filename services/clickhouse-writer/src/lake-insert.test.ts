import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsumedBatch, deadLetterMessage } from '@caracal/bus';
import { loadConfig } from '@caracal/core';
import { decodeNormalizedEvent, MessageDecodeError, NormalizedEvent, toClickHouseTime } from '@caracal/core/messages';
import { applyLakeSchema, createLakeClient, DEAD_LETTERS_TABLE, LakeClient, LakeError } from '@caracal/lake';
import { deadLetterRow } from './dead-letter-writer.service';
import { RowRoute, writeBatch } from './lake-insert';

// Against the real engine (chDB in-process): what it refuses is what matters here.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-writer-insert-'));
let lake: LakeClient;

before(async () => {
  lake = createLakeClient(loadConfig({ CARACAL_DATA_DIR: dataDir }, dataDir));
  await applyLakeSchema(lake);
});

after(async () => {
  await lake?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function event(tenant: string, id: string, at: Date, over: Record<string, unknown> = {}): NormalizedEvent {
  const time = toClickHouseTime(at);
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenant,
    p_row_id: id,
    p_event_time: time,
    p_parse_time: time,
    p_source_id: 's',
    p_source_label: 's',
    p_schema_version: 1,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    actionName: 'DELETE_DETECTION',
    actionResult: 'SUCCEEDED',
    actor: { id: 'u-1', type: 'USER' },
    pantherVersion: '1.0',
    timestamp: time,
    ...over,
  };
}

function batch(topic: string, values: (NormalizedEvent | string)[], firstOffset = 0): ConsumedBatch {
  return {
    topic,
    partition: 0,
    generation: 1,
    messages: values.map((v, i) => ({ key: 't', value: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), offset: String(firstOffset + i) })),
  };
}

const toLogs: RowRoute = (m) => ({ table: 'panther_logs.panther_audit', row: decodeNormalizedEvent(m.value) });

async function counts(tenant: string): Promise<{ rows: number; ids: number }> {
  const rs = await lake.query({
    query: `SELECT count() AS rows, uniqExact(p_row_id) AS ids FROM panther_logs.panther_audit WHERE p_tenant_id = '${tenant}'`,
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ rows: string; ids: string }>();
  return { rows: Number(r.rows), ids: Number(r.ids) };
}

/** The real client, whose inserts fail (as a lost connection would) after `n` went through. */
function failingAfter(n: number): LakeClient {
  let inserts = 0;
  return new Proxy(lake, {
    get(target, prop, receiver) {
      if (prop !== 'insertJsonLines') return Reflect.get(target, prop, receiver) as unknown;
      return (params: Parameters<LakeClient['insertJsonLines']>[0]) => {
        if (inserts++ >= n) return Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return target.insertJsonLines(params);
      };
    },
  });
}

test('one batch of 150 months is written in blocks of one partition each; a replay after a failure part way adds no copy', async () => {
  const months = Array.from({ length: 150 }, (_, i) => event('months', `m-${i}`, new Date(Date.UTC(2000, i, 15))));
  const consumed = batch('logs.panther_audit', months);
  // The first attempt dies after 40 of its blocks; the engine kept those.
  const failed = await writeBatch(failingAfter(40), consumed, toLogs).catch((err: unknown) => err);
  assert.ok(failed instanceof LakeError && failed.retriable, 'a lost connection is retriable');
  assert.deepEqual(await counts('months'), { rows: 40, ids: 40 });
  // The replay carries the same offsets (stable batches), so each block its first token: the 40 are dropped by the engine.
  assert.equal(await writeBatch(lake, consumed, toLogs), 150);
  assert.deepEqual(await counts('months'), { rows: 150, ids: 150 });
  await writeBatch(lake, consumed, toLogs);
  assert.deepEqual(await counts('months'), { rows: 150, ids: 150 }, 'a second replay adds nothing either');
});

test('the catch-all keeps fields the schema does not declare: nested, arrays, nulls, and odd keys; rows without it read as {}', async () => {
  const at = new Date(Date.UTC(2024, 2, 1));
  const extra = { ruleset: { name: 'main', rules: [{ type: 'deletion' }] }, tags: ['a', 'b'], count: 3, gone: null, 'dotted.key': 'x' };
  const consumed = batch('logs.panther_audit', [event('extra', 'with', at, { p_extra_fields: extra }), event('extra', 'without', at)], 2000);
  await writeBatch(lake, consumed, toLogs);
  const rs = await lake.query({
    query: "SELECT p_row_id, p_extra_fields.ruleset.name AS name, p_extra_fields.count AS n, toJSONString(p_extra_fields) AS all FROM panther_logs.panther_audit WHERE p_tenant_id = 'extra' ORDER BY p_row_id",
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ p_row_id: string; name: string | null; n: unknown; all: string }>();
  assert.deepEqual(
    rows.map((r) => [r.p_row_id, r.name, r.n === null ? null : Number(r.n)]),
    [
      ['with', 'main', 3],
      ['without', null, null],
    ],
  );
  const kept = JSON.parse(rows[0].all) as Record<string, unknown>;
  assert.deepEqual(kept.ruleset, { name: 'main', rules: [{ type: 'deletion' }] });
  assert.deepEqual(kept.tags, ['a', 'b']);
  assert.ok(!('gone' in kept), 'the engine keeps no null in a JSON column (the stream saw it; a replay does not)');
  assert.equal(rows[1].all, '{}');
});

test('declared fields absent or null in the message get their column defaults: NULL, {} and []', async () => {
  const at = new Date(Date.UTC(2024, 2, 2));
  const sparse = event('sparse', 'a', at, { actionParams: null, XForwardedFor: null, userAgent: null });
  const consumed = batch('logs.panther_audit', [sparse], 3000);
  await writeBatch(lake, consumed, toLogs);
  const rs = await lake.query({
    query: "SELECT toJSONString(actionParams) AS params, XForwardedFor, userAgent, sourceIP, errors FROM panther_logs.panther_audit WHERE p_tenant_id = 'sparse'",
    format: 'JSONEachRow',
  });
  assert.deepEqual(await rs.json(), [{ params: '{}', XForwardedFor: [], userAgent: null, sourceIP: null, errors: [] }]);
});

test('a batch of one month is one insert, as before', async () => {
  const at = new Date(Date.UTC(2024, 0, 10));
  const consumed = batch('logs.panther_audit', [event('one', 'a', at), event('one', 'b', at)], 1000);
  await writeBatch(lake, consumed, toLogs);
  await writeBatch(lake, consumed, toLogs);
  assert.deepEqual(await counts('one'), { rows: 2, ids: 2 });
});

test('lone surrogates are replaced before the insert, and duplicate JSON paths do not stop it', async () => {
  const repaired: number[] = [];
  const consumed = batch('logs.panther_audit', [
    event('text', 'lone', new Date(Date.UTC(2024, 1, 1)), { actionName: 'x\ud800y', actionParams: { ['k\udc00']: 'v\ud83d' } }),
    event('text', 'paths', new Date(Date.UTC(2024, 1, 1)), { actionParams: { a: { b: 1 }, 'a.b': 2 } }),
  ]);
  assert.ok(consumed.messages[0].value.toString().includes('\\ud800'), 'the message carries the escape the engine refuses');
  await writeBatch(lake, consumed, toLogs, { onRepaired: (_table, n) => repaired.push(n) });
  assert.deepEqual(repaired, [3]);
  const rs = await lake.query({ query: "SELECT actionName FROM panther_logs.panther_audit WHERE p_tenant_id = 'text' ORDER BY p_row_id", format: 'JSONEachRow' });
  assert.deepEqual(await rs.json(), [{ actionName: 'x\ufffdy' }, { actionName: 'DELETE_DETECTION' }]);
});

test('rows of messages without \\u escapes skip the repair walk; an escaped pair or a literal emoji stays whole', async () => {
  const repaired: number[] = [];
  const escapedPair = JSON.stringify(event('pairs', 'escaped', new Date(Date.UTC(2024, 1, 1)))).replace('"DELETE_DETECTION"', '"a\\ud83d\\ude00b"');
  const consumed = batch('logs.panther_audit', [event('pairs', 'literal', new Date(Date.UTC(2024, 1, 1)), { actionName: 'a\u{1F600}b' }), escapedPair, event('pairs', 'lone', new Date(Date.UTC(2024, 1, 1)), { actionName: 'a\udc00b' })]);
  assert.ok(!consumed.messages[0].value.includes('\\u'), 'the literal emoji is plain UTF-8 in its message');
  await writeBatch(lake, consumed, toLogs, { onRepaired: (_table, n) => repaired.push(n) });
  assert.deepEqual(repaired, [1], 'only the lone surrogate is repaired');
  const rs = await lake.query({ query: "SELECT p_row_id, actionName FROM panther_logs.panther_audit WHERE p_tenant_id = 'pairs' ORDER BY p_row_id", format: 'JSONEachRow' });
  assert.deepEqual(await rs.json(), [
    { p_row_id: 'escaped', actionName: 'a\u{1F600}b' },
    { p_row_id: 'literal', actionName: 'a\u{1F600}b' },
    { p_row_id: 'lone', actionName: 'a\ufffdb' },
  ]);
});

test('verbatim rows go to the engine as their messages\' bytes; a message over two lines or with \\u escapes is serialized again', async () => {
  const at = new Date(Date.UTC(2024, 2, 1));
  const spaced = JSON.stringify(event('bytes', 'spaced', at), null, 1);
  const compact = event('bytes', 'compact', at);
  const escaped = event('bytes', 'escaped', at, { actionName: 'a\udc00b' });
  const consumed = batch('logs.panther_audit', [compact, spaced, escaped]);
  const bodies: Buffer[] = [];
  const watched = new Proxy(lake, {
    get(target, prop, receiver) {
      if (prop !== 'insertJsonLines') return Reflect.get(target, prop, receiver) as unknown;
      return (params: Parameters<LakeClient['insertJsonLines']>[0]) => {
        bodies.push(params.body);
        return target.insertJsonLines(params);
      };
    },
  });
  await writeBatch(watched, consumed, (m) => ({ ...toLogs(m)!, verbatim: true }));
  assert.equal(bodies.length, 1);
  const lines = bodies[0].toString().split('\n');
  assert.equal(lines.pop(), '', 'every row ends its line');
  assert.equal(lines[0], consumed.messages[0].value.toString(), 'the one-line message as it came');
  assert.deepEqual(JSON.parse(lines[1]), JSON.parse(spaced), 'the message over several lines, on one');
  assert.equal(JSON.parse(lines[2]).actionName, 'a\ufffdb', 'the escaped message, repaired');
  const rs = await lake.query({ query: "SELECT p_row_id, actionName FROM panther_logs.panther_audit WHERE p_tenant_id = 'bytes' ORDER BY p_row_id", format: 'JSONEachRow' });
  assert.deepEqual(await rs.json(), [
    { p_row_id: 'compact', actionName: 'DELETE_DETECTION' },
    { p_row_id: 'escaped', actionName: 'a\ufffdb' },
    { p_row_id: 'spaced', actionName: 'DELETE_DETECTION' },
  ]);
});

test('rows the engine refuses fail as not retriable; an unreachable lake as retriable', async () => {
  const refused = await writeBatch(lake, batch('logs.panther_audit', [event('refused', 'r', new Date(), { timestamp: 'not a time' })]), toLogs).catch((e: unknown) => e);
  assert.ok(refused instanceof LakeError, String(refused));
  assert.equal(refused.code, 'INVALID_EVENT');
  assert.equal(refused.retriable, false);
  assert.match(refused.message, /the lake refused rows for panther_logs\.panther_audit: Cannot read DateTime/);

  const unreachable = createLakeClient(loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_CLICKHOUSE_URL: 'http://127.0.0.1:1' }, dataDir));
  const down = await writeBatch(unreachable, batch('logs.panther_audit', [event('down', 'd', new Date())]), toLogs).catch((e: unknown) => e);
  await unreachable.close();
  assert.ok(down instanceof LakeError && down.code === 'UNAVAILABLE' && down.retriable, String(down));
});

test('a message that is not an event fails the batch before anything of it is written', async () => {
  const consumed = batch('logs.panther_audit', [event('decode', 'ok-1', new Date()), '{"p_tenant_id":"decode"', event('decode', 'ok-2', new Date())]);
  const err = await writeBatch(lake, consumed, toLogs).catch((e: unknown) => e);
  assert.ok(err instanceof MessageDecodeError, String(err));
  assert.deepEqual(await counts('decode'), { rows: 0, ids: 0 });
});

test('a dead letter is filed with where it was read, why, and its payload as text or base64', async () => {
  // Recent: the table's TTL drops rows older than its retention as they are inserted.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  const failure = { topic: 'rule-matches', partition: 2, groupId: 'caracal-alert-stage', error: new MessageDecodeError('rule match', 'tenantId must be a string'), attempts: 4, at };
  const text = deadLetterMessage({ key: 'k', value: Buffer.from('{"tenantId":"acme","oops":"\ud800"}'), offset: '41', headers: { traceparent: 'tp' } }, failure);
  const binary = deadLetterMessage({ key: null, value: Buffer.from([0xff, 0xfe, 0x00]), offset: '42' }, failure);
  const letters: ConsumedBatch = {
    topic: 'consumer-dlq',
    partition: 0,
    generation: 1,
    messages: [text, binary].map((m, i) => ({ key: m.key, value: m.value as Buffer, offset: String(i), headers: m.headers })),
  };
  await writeBatch(lake, letters, (m) => ({ table: DEAD_LETTERS_TABLE, row: deadLetterRow(m) }));
  await writeBatch(lake, letters, (m) => ({ table: DEAD_LETTERS_TABLE, row: deadLetterRow(m) }));
  const rs = await lake.query({
    query: `SELECT consumer_group, source_topic, source_partition, toString(source_offset) AS source_offset, tenant_id, error_code, error_message, attempts, dead_lettered_at, message_key, payload, payload_encoding, headers
FROM ${DEAD_LETTERS_TABLE} ORDER BY source_offset`,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Record<string, unknown>>();
  assert.equal(rows.length, 2, 'the replayed batch added nothing');
  assert.deepEqual(rows[0], {
    consumer_group: 'caracal-alert-stage',
    source_topic: 'rule-matches',
    source_partition: 2,
    source_offset: '41',
    tenant_id: 'acme',
    error_code: 'INVALID_ARGUMENT',
    error_message: 'not a valid rule match: tenantId must be a string',
    attempts: 4,
    dead_lettered_at: toClickHouseTime(at),
    message_key: 'k',
    payload: '{"tenantId":"acme","oops":"\ufffd"}',
    payload_encoding: 'utf8',
    headers: { traceparent: 'tp' },
  });
  assert.deepEqual([rows[1].tenant_id, rows[1].payload, rows[1].payload_encoding], ['', Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), 'base64']);
});
