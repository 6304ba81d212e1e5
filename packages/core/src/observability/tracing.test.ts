import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../kernel/config';
import { Tracing } from './tracing';

const PARENT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };

test('without an OTLP endpoint nothing is recorded, yet spans continue the caller trace', () => {
  const tracing = Tracing.create(loadConfig({}), 'caracal-test');
  assert.equal(tracing.enabled, false);
  const span = tracing.startSpan('ingest', { parent: PARENT });
  assert.equal(span.context.traceId, PARENT.traceId);
  assert.notEqual(span.context.spanId, PARENT.spanId);
  span.end();
});

test('with an OTLP endpoint, spans reach it with their parent, links, attributes and errors', async () => {
  const bodies: { path: string; type: string; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
    const tracing = Tracing.create(loadConfig({ CARACAL_OTEL_TRACES_URL: url }), 'caracal-test');
    assert.equal(tracing.enabled, true);
    const request = tracing.startSpan('ingest POST', { parent: PARENT, kind: 'server', attributes: { 'caracal.tenant_id': 't1' } });
    assert.equal(request.context.traceId, PARENT.traceId);
    request.end();
    const batch = tracing.startSpan('rules evaluate', { links: [request.context], kind: 'consumer' });
    batch.fail(new Error('rule raised'));
    batch.end();
    await tracing.shutdown();

    assert.ok(bodies.length > 0, 'the exporter posted to the endpoint');
    assert.equal(bodies[0].path, '/v1/traces');
    const all = bodies.map((b) => b.body).join('\n');
    // OTLP/JSON carries ids as hex strings.
    assert.ok(all.includes(PARENT.traceId), 'the request span is in the caller trace');
    assert.ok(all.includes(PARENT.spanId), 'with the caller span as its parent');
    assert.ok(all.includes(request.context.spanId), 'the batch span links the request span');
    assert.ok(all.includes('caracal.tenant_id') && all.includes('rule raised'));
    assert.ok(all.includes('caracal-test'), 'the service name is the resource');
  } finally {
    receiver.close();
  }
});
