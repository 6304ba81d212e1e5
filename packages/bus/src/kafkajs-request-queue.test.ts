import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { KAFKAJS_VERSION_FIXED, fixKafkajsRequestQueue, kafkajsRequestQueue } from './kafkajs-request-queue';
import { until } from './test-support';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function newQueue(maxInFlightRequests: number) {
  const RequestQueue = kafkajsRequestQueue();
  return new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:9092', logger: quiet }) as any;
}

/** A request as kafkajs' Connection pushes it; `sent` records when it went out. */
function request(correlationId: number, sent: Map<number, number>) {
  return {
    entry: { correlationId, apiKey: 0, apiName: 'Test', apiVersion: 0, resolve() {}, reject() {} },
    expectResponse: true,
    sendRequest: () => sent.set(correlationId, Date.now()),
  };
}

test(`the RequestQueue fix applies to the kafkajs in use (${KAFKAJS_VERSION_FIXED})`, () => {
  // false means kafkajs changed: check whether its RequestQueue still needs this.
  assert.equal(fixKafkajsRequestQueue(), true);
  assert.equal(fixKafkajsRequestQueue(), true, 'idempotent');
});

test('an idle queue arms no timer; requests held back by the in-flight limit or a throttle still go out', async () => {
  fixKafkajsRequestQueue();
  const q = newQueue(1);
  const sent = new Map<number, number>();
  try {
    q.checkPendingRequests();
    assert.equal(q.throttleCheckTimeoutId, null, 'nothing pending, nothing scheduled');

    q.push(request(1, sent));
    q.push(request(2, sent));
    assert.deepEqual([...sent.keys()], [1], 'the second waits for the in-flight limit');
    assert.notEqual(q.throttleCheckTimeoutId, null, 'a check is scheduled while one is pending');
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    assert.deepEqual([...sent.keys()], [1, 2]);
    q.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(q.throttleCheckTimeoutId, null, 'drained: the scheduled check ran and armed nothing more');

    // Broker-side throttling: the request waits it out, then is sent by the timer.
    q.maybeThrottle(60);
    const pushedAt = Date.now();
    q.push(request(3, sent));
    assert.equal(sent.has(3), false);
    await until(() => sent.has(3), 2000);
    assert.ok(sent.get(3)! - pushedAt >= 50, `sent after ${sent.get(3)! - pushedAt} ms of a 60 ms throttle`);
  } finally {
    q.destroy();
  }
});

/** Runs a queue through one request in a fresh Node and reports its timer calls and warnings. */
function probe(fixed: boolean): { checks: number; stderr: string } {
  const script = `
    const RequestQueue = require(${JSON.stringify(require.resolve('kafkajs/src/network/requestQueue'))});
    if (${fixed}) require(${JSON.stringify(require.resolve('./kafkajs-request-queue'))}).fixKafkajsRequestQueue();
    const q = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30000, enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: { debug() {}, info() {}, warn() {}, error() {} } });
    let checks = 0;
    const check = q.checkPendingRequests;
    q.checkPendingRequests = function () { checks++; return check.call(this); };
    q.push({ entry: { correlationId: 1, resolve() {}, reject() {} }, expectResponse: true, sendRequest() {} });
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    setTimeout(() => { q.destroy(); process.stdout.write(String(checks)); }, 200);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return { checks: Number(r.stdout), stderr: r.stderr };
}

test('unfixed, kafkajs polls an idle connection every millisecond and Node warns of a negative timeout; fixed, neither', () => {
  const unfixed = probe(false);
  assert.ok(unfixed.checks > 20, `unfixed: ${unfixed.checks} checks in 200 ms (negative control)`);
  if (Number(process.versions.node.split('.')[0]) >= 24) assert.match(unfixed.stderr, /TimeoutNegativeWarning/, 'negative control');
  const fixed = probe(true);
  assert.equal(fixed.checks, 1, 'one check, when the response came in');
  assert.doesNotMatch(fixed.stderr, /Warning/);
});
