import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixtureAlert, fixtureDestination } from './alert.fixture';
import { deliverAlert, DeliveryOptions } from './destination-sender';

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: string;
  atMs: number;
}

/** A real receiver on loopback; `answer` decides the response to the n-th request (0-based). */
async function receiver(answer: (n: number, res: http.ServerResponse) => void) {
  const requests: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), atMs: Date.now() });
      answer(requests.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/caracal`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const fast: DeliveryOptions = { timeoutMs: 2000, maxAttempts: 5, backoffMs: 5, allowPrivateNetworks: true };
const alert = fixtureAlert();

test('a webhook is signed: HMAC-SHA256 of "<timestamp>.<body>" with the destination secret', async (t) => {
  const r = await receiver((_, res) => res.writeHead(204).end());
  t.after(r.close);
  const dest = fixtureDestination({ id: 'soc-hook', url: r.url, signingSecret: 'cds_abc' });
  const now = new Date('2026-11-24T10:00:07.900Z');
  const rec = await deliverAlert(dest, alert, { ...fast, now: () => now });
  assert.deepEqual(rec, {
    tenantId: 'acme',
    alertId: alert.alertId,
    destinationId: 'soc-hook',
    destinationType: 'webhook',
    outcome: 'DELIVERED',
    attempts: 1,
    httpStatus: 204,
    error: '',
    attemptedAt: '2026-11-24 10:00:07.900',
  });
  const [seen] = r.requests;
  assert.equal(seen.headers['content-type'], 'application/json');
  assert.equal(seen.headers['user-agent'], 'caracal-alerts/1');
  assert.equal(seen.headers['x-caracal-delivery-id'], `${alert.alertId}:soc-hook`);
  assert.equal(seen.headers['x-caracal-timestamp'], String(Math.floor(now.getTime() / 1000)));
  // What a receiver does: recompute over the raw body and compare in constant time.
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', 'cds_abc').update(`${seen.headers['x-caracal-timestamp']}.${seen.body}`).digest('hex')}`,
  );
  const given = Buffer.from(String(seen.headers['x-caracal-signature']));
  assert.ok(given.length === expected.length && timingSafeEqual(given, expected), 'signature verifies');
  const body = JSON.parse(seen.body);
  assert.equal(body.version, 1);
  assert.equal(body.deliveryId, `${alert.alertId}:soc-hook`);
  assert.equal(body.alert.title, alert.title);
});

test('two 500s then 200: delivered on the third attempt, the same delivery id each time', async (t) => {
  const r = await receiver((n, res) => res.writeHead(n < 2 ? 500 : 200).end());
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, fast);
  assert.equal(rec.outcome, 'DELIVERED');
  assert.equal(rec.attempts, 3);
  assert.equal(rec.httpStatus, 200);
  assert.equal(r.requests.length, 3);
  assert.equal(new Set(r.requests.map((q) => q.headers['x-caracal-delivery-id'])).size, 1);
});

test('a 400 fails at once, and the error leaves out the query string', async (t) => {
  const r = await receiver((_, res) => res.writeHead(400, { 'content-type': 'text/plain' }).end('bad\npayload'));
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: `${r.url}?token=s3cret` }), alert, fast);
  assert.equal(rec.outcome, 'FAILED');
  assert.equal(rec.attempts, 1);
  assert.equal(rec.httpStatus, 400);
  assert.equal(rec.error, `HTTP 400 from http://127.0.0.1:${r.port}/hooks/caracal after 1 attempt: bad payload`);
  assert.equal(r.requests.length, 1);
});

test('a redirect is not followed', async (t) => {
  const r = await receiver((_, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end());
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, fast);
  assert.equal(rec.outcome, 'FAILED');
  assert.equal(rec.attempts, 1);
  assert.match(rec.error, /HTTP 302 .* \(redirects are not followed\)/);
  assert.equal(r.requests.length, 1);
});

test('429 with Retry-After: 1 waits a second before the retry', async (t) => {
  const r = await receiver((n, res) => (n === 0 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end()));
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, { ...fast, backoffMs: 1 });
  assert.equal(rec.outcome, 'DELIVERED');
  assert.equal(rec.attempts, 2);
  const gap = r.requests[1].atMs - r.requests[0].atMs;
  assert.ok(gap >= 950, `retried after ${gap} ms`);
});

test('a request that times out counts as an attempt', async (t) => {
  // The first request is never answered.
  const r = await receiver((n, res) => (n === 0 ? undefined : res.writeHead(200).end()));
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, { ...fast, timeoutMs: 300 });
  assert.equal(rec.outcome, 'DELIVERED');
  assert.equal(rec.attempts, 2);
});

test('a receiver failing every time gives FAILED with the attempts counted', async (t) => {
  const r = await receiver((_, res) => res.writeHead(503).end());
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, { ...fast, maxAttempts: 3 });
  assert.equal(rec.outcome, 'FAILED');
  assert.equal(rec.attempts, 3);
  assert.equal(rec.httpStatus, 503);
  assert.equal(rec.error, `HTTP 503 from http://127.0.0.1:${r.port}/hooks/caracal after 3 attempts`);
  assert.equal(r.requests.length, 3);
});

test('an unreachable receiver is retried, then FAILED with the network error', async (t) => {
  const r = await receiver((_, res) => res.end());
  await r.close();
  const rec = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, { ...fast, maxAttempts: 2 });
  t.diagnostic(rec.error);
  assert.equal(rec.outcome, 'FAILED');
  assert.equal(rec.attempts, 2);
  assert.equal(rec.httpStatus, 0);
  assert.match(rec.error, /^cannot reach http:\/\/127\.0\.0\.1:\d+\/hooks\/caracal \(.*ECONNREFUSED.*\) after 2 attempts$/);
});

test('without allowPrivateNetworks, loopback receivers are refused and never reached', async (t) => {
  const r = await receiver((_, res) => res.writeHead(200).end());
  t.after(r.close);
  const strict = { ...fast, allowPrivateNetworks: false };
  const literal = await deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, strict);
  assert.equal(literal.outcome, 'FAILED');
  assert.equal(literal.attempts, 1);
  assert.match(literal.error, /^refused to deliver to http:\/\/127\.0\.0\.1:\d+\/hooks\/caracal: 127\.0\.0\.1 is a loopback address/);
  // A name is checked on the address it resolves to, the one a connection would use.
  const named = await deliverAlert(fixtureDestination({ id: 'h', url: `http://localhost:${r.port}/x` }), alert, strict);
  assert.equal(named.outcome, 'FAILED');
  assert.equal(named.attempts, 1);
  assert.match(named.error, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  const mapped = await deliverAlert(fixtureDestination({ id: 'h', url: `http://[::ffff:127.0.0.1]:${r.port}/x` }), alert, strict);
  assert.match(mapped.error, /a loopback address/);
  assert.equal(r.requests.length, 0);
});

test('a Slack destination gets the Slack JSON and no signature headers', async (t) => {
  const r = await receiver((_, res) => res.writeHead(200).end('ok'));
  t.after(r.close);
  const rec = await deliverAlert(fixtureDestination({ id: 'slack', type: 'slack', signingSecret: undefined, url: r.url }), alert, fast);
  assert.equal(rec.outcome, 'DELIVERED');
  assert.equal(rec.destinationType, 'slack');
  const [seen] = r.requests;
  assert.equal(seen.headers['content-type'], 'application/json');
  assert.equal(seen.headers['x-caracal-signature'], undefined);
  const body = JSON.parse(seen.body);
  assert.equal(typeof body.text, 'string');
  assert.equal(body.blocks[0].type, 'header');
});

test('aborting stops the retries and rejects, so the caller can deliver again later', async (t) => {
  const stop = new AbortController();
  const r = await receiver((_, res) => {
    res.writeHead(500).end();
    stop.abort();
  });
  t.after(r.close);
  const pending = deliverAlert(fixtureDestination({ id: 'h', url: r.url }), alert, { ...fast, backoffMs: 60_000, signal: stop.signal });
  await assert.rejects(pending, /alert delivery cancelled: shutting down/);
  assert.equal(r.requests.length, 1);
});
