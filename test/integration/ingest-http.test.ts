import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CaracalClient } from '@caracal/api';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { hmacSignature, postToSource } from '../support/ingest-http';
import { tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// HTTP ingest in one process over the local bus, with the writer and the query
// service, so that what ingest refused can be read back with SQL.
const dataDir = tempDir('ingest-http');
const config = loadConfig({ CARACAL_DATA_DIR: dataDir, CARACAL_HTTP_PORT: '0', CARACAL_GRPC_PORT: '0', CARACAL_OPS_PORT: '0', CARACAL_LOG_LEVEL: 'warn' });
let running: RunningCaracal;
let base: string;
let acme: CaracalClient;
let globex: CaracalClient;
const secrets: Record<string, string> = {};
let control: ControlStore;

before(async () => {
  control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  control.createTenant('globex');
  secrets.header = control.createSource({ id: 'acme-header', tenantId: 'acme', logType: 'Panther.Audit' }).secret;
  secrets.hmac = control.createSource({ id: 'acme-hmac', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'hmac-sha256', authHeader: 'x-hub-signature-256' }).secret;
  secrets.bearer = control.createSource({ id: 'acme-bearer', tenantId: 'acme', logType: 'Panther.Audit', authMode: 'bearer' }).secret;
  secrets.slow = control.createSource({ id: 'acme-slow', tenantId: 'acme', logType: 'Panther.Audit', rateLimitPerSecond: 1 }).secret;
  secrets.globex = control.createSource({ id: 'globex-header', tenantId: 'globex', logType: 'Panther.Audit' }).secret;
  secrets.globexHmac = control.createSource({ id: 'globex-hmac', tenantId: 'globex', logType: 'Panther.Audit', authMode: 'hmac-sha256' }).secret;
  const acmeToken = control.createToken({ tenantId: 'acme', name: 'reader', role: 'read-only' }).token;
  const globexToken = control.createToken({ tenantId: 'globex', name: 'reader', role: 'read-only' }).token;
  running = await startCaracal(config, ['ingest', 'clickhouse-writer', 'api'], createLogger('warn'));
  base = `http://127.0.0.1:${running.httpPort}`;
  acme = new CaracalClient(`127.0.0.1:${running.grpcPort}`, acmeToken);
  globex = new CaracalClient(`127.0.0.1:${running.grpcPort}`, globexToken);
});

after(async () => {
  acme?.close();
  globex?.close();
  await running?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const oneEvent = JSON.stringify(dataLakeQueryEvent());
const otherEvent = JSON.stringify(deleteDetectionEvent());

test('auth matrix: each mode refuses missing, wrong, foreign and replayed credentials, and takes the right ones', async () => {
  const cases: { name: string; source: string; body?: string; headers: Record<string, string>; status: number; message?: RegExp }[] = [
    { name: 'header: missing', source: 'acme-header', headers: {}, status: 401, message: /x-caracal-secret/ },
    { name: 'header: wrong', source: 'acme-header', headers: { 'x-caracal-secret': 'crs_wrong' }, status: 401 },
    { name: "header: another source's secret", source: 'acme-header', headers: { 'x-caracal-secret': secrets.globex }, status: 401 },
    { name: "header: the same tenant's other source's secret", source: 'acme-header', headers: { 'x-caracal-secret': secrets.bearer }, status: 401 },
    { name: 'header: as bearer instead', source: 'acme-header', headers: { authorization: `Bearer ${secrets.header}` }, status: 401 },
    { name: 'header: right', source: 'acme-header', headers: { 'x-caracal-secret': secrets.header }, status: 200 },
    { name: 'bearer: missing', source: 'acme-bearer', headers: {}, status: 401 },
    { name: 'bearer: wrong scheme', source: 'acme-bearer', headers: { authorization: `Basic ${secrets.bearer}` }, status: 401 },
    { name: 'bearer: wrong', source: 'acme-bearer', headers: { authorization: 'Bearer crs_wrong' }, status: 401 },
    { name: "bearer: another source's secret", source: 'acme-bearer', headers: { authorization: `Bearer ${secrets.header}` }, status: 401 },
    { name: 'bearer: right', source: 'acme-bearer', headers: { authorization: `Bearer ${secrets.bearer}` }, status: 200 },
    { name: 'hmac: missing', source: 'acme-hmac', headers: {}, status: 401, message: /x-hub-signature-256/ },
    { name: 'hmac: malformed', source: 'acme-hmac', headers: { 'x-hub-signature-256': 'sha256=zz' }, status: 401 },
    { name: 'hmac: the secret itself instead of a signature', source: 'acme-hmac', headers: { 'x-hub-signature-256': secrets.hmac }, status: 401 },
    { name: 'hmac: replayed signature of another body', source: 'acme-hmac', headers: { 'x-hub-signature-256': hmacSignature(secrets.hmac, otherEvent) }, status: 401 },
    { name: "hmac: signed with another source's key", source: 'acme-hmac', headers: { 'x-hub-signature-256': hmacSignature(secrets.globexHmac, oneEvent) }, status: 401 },
    { name: 'hmac: right', source: 'acme-hmac', headers: { 'x-hub-signature-256': hmacSignature(secrets.hmac, oneEvent) }, status: 200 },
    { name: 'hmac: right, bare hex', source: 'acme-hmac', headers: { 'x-hub-signature-256': hmacSignature(secrets.hmac, oneEvent).slice(7) }, status: 200 },
    { name: 'unknown source', source: 'nope', headers: { 'x-caracal-secret': secrets.header }, status: 404 },
  ];
  for (const c of cases) {
    const answer = await postToSource(base, c.source, c.body ?? oneEvent, c.headers);
    assert.equal(answer.status, c.status, `${c.name}: ${JSON.stringify(answer.body)}`);
    if (c.status === 200) assert.equal(answer.body.accepted, 1, c.name);
    else assert.match(String((answer.body.error as { message: string }).message), c.message ?? /./, c.name);
  }
});

test('an HMAC covers the bytes as sent: a gzip body is signed compressed', async () => {
  const zipped = gzipSync(JSON.stringify([dataLakeQueryEvent(), deleteDetectionEvent()]));
  const ok = await postToSource(base, 'acme-hmac', zipped, { 'content-encoding': 'gzip', 'x-hub-signature-256': hmacSignature(secrets.hmac, zipped) });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.accepted, 2);
});

test('rotation: old and new secrets both work during the switch, and the old one stops when it ends', async () => {
  const source = 'acme-rotating';
  const first = control.createSource({ id: source, tenantId: 'acme', logType: 'Panther.Audit' }).secret;
  const second = control.rotateSourceSecret('acme', source, { previousValidSeconds: 3600 }).secret;
  for (const secret of [first, second]) {
    assert.equal((await postToSource(base, source, oneEvent, { 'x-caracal-secret': secret })).status, 200);
  }
  const third = control.rotateSourceSecret('acme', source, { previousValidSeconds: 0 }).secret;
  assert.equal((await postToSource(base, source, oneEvent, { 'x-caracal-secret': third })).status, 200);
  for (const stale of [first, second]) {
    await waitFor('the rotated-out secret to be refused', async () =>
      (await postToSource(base, source, oneEvent, { 'x-caracal-secret': stale })).status === 401 ? true : undefined,
    );
  }
});

test('bodies: object, array, NDJSON and gzip; more than 1 MB is 413, on the wire or after gzip', async () => {
  const h = { 'x-caracal-secret': secrets.header };
  const events = [dataLakeQueryEvent(), deleteDetectionEvent(), dataLakeQueryEvent('bart@springfield.gov')];
  const ndjson = events.map((e) => JSON.stringify(e)).join('\n');
  assert.equal((await postToSource(base, 'acme-header', JSON.stringify(events), h)).body.accepted, 3);
  assert.equal((await postToSource(base, 'acme-header', ndjson, h)).body.accepted, 3);
  assert.equal((await postToSource(base, 'acme-header', gzipSync(ndjson), { ...h, 'content-encoding': 'gzip' })).body.accepted, 3);

  const big = JSON.stringify({ ...dataLakeQueryEvent(), actionDescription: 'x'.repeat(1024 * 1024) });
  const tooBig = await postToSource(base, 'acme-header', big, h);
  assert.equal(tooBig.status, 413);
  assert.match(String((tooBig.body.error as { message: string }).message), /exceeds 1048576 bytes/);
  const bomb = await postToSource(base, 'acme-header', gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)), { ...h, 'content-encoding': 'gzip' });
  assert.equal(bomb.status, 413);
  assert.match(String((bomb.body.error as { message: string }).message), /after gzip decoding exceeds/);
});

test('per-source rate limit: past the burst the answer is 429 with Retry-After', async () => {
  const h = { 'x-caracal-secret': secrets.slow };
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 6; i++) {
    const a = await postToSource(base, 'acme-slow', oneEvent, h);
    statuses.push(a.status);
    if (a.status === 429) retryAfter = a.headers.get('retry-after');
  }
  assert.deepEqual(statuses.slice(0, 2), [200, 200], 'a burst of twice the rate passes');
  assert.ok(statuses.includes(429), `statuses ${statuses}`);
  assert.ok(Number(retryAfter) >= 1, `Retry-After ${retryAfter}`);
  // Another source of the same tenant is not slowed by it.
  assert.equal((await postToSource(base, 'acme-header', oneEvent, { 'x-caracal-secret': secrets.header })).status, 200);
});

test('bad events are refused one by one with index, field and problem, the good ones of the same body accepted, and the refused ones queryable', async () => {
  const h = { 'x-caracal-secret': secrets.header };
  const marker = `marker-${Date.now()}`;
  const body = [
    JSON.stringify({ ...dataLakeQueryEvent(), userAgent: marker }),
    JSON.stringify({ ...dataLakeQueryEvent(), actor: { id: '', type: 'ROBOT' }, userAgent: marker }),
    `{"actionName": "broken-${marker}"`,
    JSON.stringify({ ...deleteDetectionEvent(), timestamp: 'yesterday', userAgent: marker }),
  ].join('\n');
  const answer = await postToSource(base, 'acme-header', body, h);
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, 1);
  assert.equal(answer.body.rejectedCount, 3);
  const rejected = answer.body.rejected as { index: number; problems: { field: string; problem: string }[] }[];
  assert.deepEqual(rejected.map((r) => r.index), [1, 2, 3]);
  assert.ok(rejected[0].problems.some((p) => p.field === 'actor.id'), JSON.stringify(rejected[0]));
  assert.ok(rejected[0].problems.some((p) => p.field === 'actor.type'), JSON.stringify(rejected[0]));
  assert.equal(rejected[1].problems[0].field, '(line)');
  assert.match(rejected[1].problems[0].problem, /^line 3 is not valid JSON/);
  assert.equal(rejected[2].problems[0].field, 'timestamp');
  const requestId = answer.headers.get('x-request-id');
  assert.equal(answer.body.requestId, requestId);

  // Everything refused, and a body that is not JSON at all: 400, never 5xx, and kept too.
  const allBad = await postToSource(base, 'acme-header', JSON.stringify([{ userAgent: marker }]), h);
  assert.equal(allBad.status, 400);
  const notJson = await postToSource(base, 'acme-header', `not json ${marker}`, h);
  assert.equal(notJson.status, 400);
  assert.match(String((notJson.body.error as { message: string }).message), /not valid JSON or NDJSON/);

  const rows = await waitFor('the rejections in the lake', async () => {
    const r = await acme.executeQuery(
      `SELECT event_index, raw, problems.field AS fields, request_id FROM panther_monitor.ingest_rejections FINAL WHERE position(raw, '${marker}') > 0 ORDER BY p_parse_time, event_index`,
    );
    return r.rows.length >= 5 ? r.rows : undefined;
  });
  assert.equal(rows.length, 5, JSON.stringify(rows));
  assert.deepEqual(rows.slice(0, 3).map((r) => Number(r.event_index)), [1, 2, 3]);
  assert.ok(rows.slice(0, 3).every((r) => r.request_id === requestId));
  assert.equal(rows[1].raw, `{"actionName": "broken-${marker}"`, 'the raw line exactly as sent');
  assert.ok((rows[2].fields as string[]).includes('timestamp'));
  assert.equal(Number(rows[4].event_index), -1, 'a body refused as a whole');
  assert.equal(rows[4].raw, `not json ${marker}`);

  const other = await globex.executeQuery(`SELECT count() AS n FROM panther_monitor.ingest_rejections WHERE position(raw, '${marker}') > 0`);
  assert.equal(Number(other.rows[0].n), 0, "another tenant never sees acme's rejections");
});

test('a retried body keeps its row ids, so the lake keeps one row per event', async () => {
  const h = { 'x-caracal-secret': secrets.header };
  const marker = `retry-${Date.now()}`;
  const events = [0, 1, 2].map((i) => ({ ...dataLakeQueryEvent(), userAgent: `${marker}-${i}` }));
  assert.equal((await postToSource(base, 'acme-header', JSON.stringify(events), h)).body.accepted, 3);
  // The same events again, keys in another order, as a client re-serialising a retry would send them.
  const reordered = events.map((e) => Object.fromEntries(Object.entries(e).reverse()));
  assert.equal((await postToSource(base, 'acme-header', reordered.map((e) => JSON.stringify(e)).join('\n'), h)).body.accepted, 3);
  // Events of one tenant keep their order through the bus and the writer: once a later event is in, both sends are.
  const sentinel = { ...dataLakeQueryEvent(), userAgent: `sentinel-${marker}` };
  assert.equal((await postToSource(base, 'acme-header', JSON.stringify(sentinel), h)).body.accepted, 1);
  await waitFor('the sentinel written after both sends', async () => {
    const r = await acme.executeQuery(`SELECT count() AS n FROM panther_logs.panther_audit WHERE userAgent = 'sentinel-${marker}'`);
    return Number(r.rows[0].n) > 0 ? true : undefined;
  });
  const r = await acme.executeQuery(
    `SELECT uniqExact(p_row_id) AS ids, (SELECT count() FROM panther_logs.panther_audit FINAL WHERE startsWith(userAgent, '${marker}-')) AS kept FROM panther_logs.panther_audit WHERE startsWith(userAgent, '${marker}-')`,
  );
  assert.equal(Number(r.rows[0].ids), 3, 'the retry brought no new row id');
  assert.equal(Number(r.rows[0].kept), 3, 'the lake keeps one row per event');
});
