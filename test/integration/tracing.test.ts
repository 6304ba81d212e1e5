import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { postToSource } from '../support/ingest-http';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The whole embedded pipeline with traces on: an OTLP/HTTP receiver of the
// test's own stands in for the collector, and the logs are captured to check
// that each stage names the trace and the tenant.
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const PARENT_SPAN = 'eee19b7ec3c1b174';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  links?: { traceId: string; spanId: string }[];
  attributes?: { key: string; value: Record<string, unknown> }[];
}

const spans: ExportedSpan[] = [];
const logLines: Record<string, unknown>[] = [];
const dataDir = tempDir('tracing');
let receiver: http.Server;
let running: RunningCaracal;
let secret: string;

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const config = loadConfig({
    CARACAL_DATA_DIR: dataDir,
    CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
    CARACAL_HTTP_PORT: '0',
    CARACAL_GRPC_PORT: '0',
    CARACAL_OPS_PORT: '0',
    CARACAL_OTEL_TRACES_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`,
  });
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  secret = control.createSource({ id: 'acme-audit', tenantId: 'acme', logType: 'Panther.Audit' }).secret;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  running = await startCaracal(config, ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'api'], pino({ level: 'debug' }, sink));
});

after(async () => {
  await running?.close();
  receiver?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a request without a traceparent starts a trace of its own; a malformed one is not trusted', async () => {
  const base = `http://127.0.0.1:${running.httpPort}`;
  const malformed = `00-${'ab'.repeat(16)}-${'0'.repeat(16)}-01`;
  const plain = await postToSource(base, 'acme-audit', JSON.stringify(dataLakeQueryEvent()), { 'x-caracal-secret': secret });
  const bad = await postToSource(base, 'acme-audit', JSON.stringify(dataLakeQueryEvent()), { 'x-caracal-secret': secret, traceparent: malformed });
  assert.equal(plain.status, 200);
  assert.equal(bad.status, 200);
  const answered = await waitFor('both requests logged', async () => {
    const lines = logLines.filter((l) => l.msg === 'ingest request answered' && [plain.headers.get('x-request-id'), bad.headers.get('x-request-id')].includes(l.requestId as string));
    return lines.length === 2 ? lines : undefined;
  });
  const ids = answered.map((l) => l.traceId as string);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
  assert.notEqual(ids[0], ids[1], 'each request is a trace of its own');
  assert.ok(!ids.includes('ab'.repeat(16)), 'a traceparent with a zero span id is not continued');
});

test('a request trace reaches the rules and the alert stage: spans exported, and every stage logs the trace and tenant ids', async () => {
  const answer = await postToSource(`http://127.0.0.1:${running.httpPort}`, 'acme-audit', JSON.stringify(deleteDetectionEvent('Okta.Login.Brute')), {
    'x-caracal-secret': secret,
    traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01`,
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));

  const raised = await waitFor('the alert raised for the deleted detection', async () =>
    logLines.find((l) => l.msg === 'alert raised' && l.ruleId === 'Panther.Detection.Deleted'),
  );
  assert.equal(raised.traceId, TRACE_ID, 'the alert stage logs the trace of the request that carried the event');
  assert.equal(raised.tenantId, 'acme');
  const requestLog = logLines.find((l) => l.msg === 'ingest request answered' && l.requestId === answer.headers.get('x-request-id'));
  assert.ok(requestLog, 'ingest logs each request it answered');
  assert.equal(requestLog.traceId, TRACE_ID);
  assert.equal(requestLog.tenantId, 'acme');
  assert.equal(requestLog.sourceId, 'acme-audit');

  // Spans are exported in batches; the stop flushes what is left.
  await running.close();
  const ingestSpan = spans.find((s) => s.name === 'ingest POST /http/{sourceId}' && s.traceId === TRACE_ID);
  assert.ok(ingestSpan, `the ingest span continues the sender trace (got ${spans.map((s) => `${s.name} ${s.traceId}`).join(', ')})`);
  assert.equal(ingestSpan.parentSpanId, PARENT_SPAN);
  const tenantAttr = ingestSpan.attributes?.find((a) => a.key === 'caracal.tenant_id');
  assert.deepEqual(tenantAttr?.value, { stringValue: 'acme' });
  const rulesSpan = spans.find((s) => s.name === 'rules evaluate' && s.links?.some((l) => l.spanId === ingestSpan.spanId));
  assert.ok(rulesSpan, 'the rules span links the request span whose events it evaluated');
  assert.ok(
    spans.some((s) => s.name === 'lake write' && s.links?.some((l) => l.spanId === ingestSpan.spanId)),
    'the writer span links the request span whose events it wrote',
  );
  const alertSpan = spans.find((s) => s.name === 'alerts dedup' && s.links?.some((l) => l.traceId === TRACE_ID));
  assert.ok(alertSpan, 'the alert stage span links the trace of the match');
});

