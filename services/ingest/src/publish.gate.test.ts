import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaracalError } from '@caracal/core';
import { IngestUnavailableError } from './ingest.errors';
import { PublishGate } from './publish.gate';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('a publish past the timeout is answered unavailable, and its bytes stay counted until it settles', async () => {
  const gate = new PublishGate({ maxInFlightBytes: 1000, publishTimeoutMs: 50, retryAfterSeconds: 7 });
  const slow = deferred();
  const err = await gate.run(600, () => slow.promise).catch((e: unknown) => e);
  assert.ok(err instanceof IngestUnavailableError);
  assert.equal(err.retryAfterSeconds, 7);
  assert.match(err.message, /did not acknowledge the events within 50 ms/);
  assert.equal(gate.waitingBytes, 600);

  const refused = await gate.run(600, async () => assert.fail('must not publish over the budget')).catch((e: unknown) => e);
  assert.ok(refused instanceof IngestUnavailableError);
  assert.match(refused.message, /waiting for the bus to acknowledge 600 bytes already/);

  slow.reject(new Error('late failure'));
  await assert.rejects(slow.promise);
  await new Promise((r) => setImmediate(r));
  assert.equal(gate.waitingBytes, 0);
  await gate.run(600, async () => undefined);
});

test('a retriable bus failure becomes unavailable; any other failure passes through', async () => {
  const gate = new PublishGate({ maxInFlightBytes: 1000, publishTimeoutMs: 1000, retryAfterSeconds: 3 });
  const busDown = await gate.run(10, async () => {
    throw new CaracalError('UNAVAILABLE', 'broker gone', { retriable: true });
  }).catch((e: unknown) => e);
  assert.ok(busDown instanceof IngestUnavailableError);
  assert.match(busDown.message, /broker gone/);
  await assert.rejects(
    gate.run(10, async () => {
      throw new CaracalError('INTERNAL', 'bug');
    }),
    (e: unknown) => e instanceof CaracalError && e.code === 'INTERNAL',
  );
  assert.equal(gate.waitingBytes, 0);
});
