import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaracalError } from '@caracal/core';
import { QueryConcurrencyLimiter } from './query-concurrency.limiter';

const code = (err: unknown) => (err as CaracalError).code;

test('up to the limit run at once; the next waits and gets the first freed slot', async () => {
  const limiter = new QueryConcurrencyLimiter(2, 1000);
  const a = await limiter.acquire('acme');
  await limiter.acquire('acme');
  let third = false;
  const waiting = limiter.acquire('acme').then((release) => {
    third = true;
    return release;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(third, false);
  assert.deepEqual(limiter.load('acme'), { running: 2, waiting: 1 });
  a();
  a(); // a second release of the same slot gives nothing back
  (await waiting)();
  assert.equal(third, true);
  assert.deepEqual(limiter.load('acme'), { running: 1, waiting: 0 });
});

test('waiters are served first come, first served', async () => {
  const limiter = new QueryConcurrencyLimiter(1, 1000);
  const first = await limiter.acquire('acme');
  const order: string[] = [];
  const b = limiter.acquire('acme').then((r) => (order.push('b'), r));
  const c = limiter.acquire('acme').then((r) => (order.push('c'), r));
  first();
  (await b)();
  (await c)();
  assert.deepEqual(order, ['b', 'c']);
  assert.deepEqual(limiter.load('acme'), { running: 0, waiting: 0 });
});

test('one tenant at its limit does not hold up another', async () => {
  const limiter = new QueryConcurrencyLimiter(1, 50);
  await limiter.acquire('acme');
  const other = await limiter.acquire('globex');
  other();
});

test('a query that waits longer than the queue timeout fails with RESOURCE_EXHAUSTED', async () => {
  const limiter = new QueryConcurrencyLimiter(1, 30);
  const held = await limiter.acquire('acme');
  const started = Date.now();
  await assert.rejects(limiter.acquire('acme'), (err) => {
    assert.equal(code(err), 'RESOURCE_EXHAUSTED');
    assert.match((err as Error).message, /1 of this tenant's queries are already running and this one waited 30 ms/);
    assert.equal((err as CaracalError).retriable, true);
    return true;
  });
  assert.ok(Date.now() - started >= 25);
  assert.deepEqual(limiter.load('acme'), { running: 1, waiting: 0 });
  held();
  assert.deepEqual(limiter.load('acme'), { running: 0, waiting: 0 });
});

test('an aborted wait leaves the queue and fails with CANCELLED', async () => {
  const limiter = new QueryConcurrencyLimiter(1, 10_000);
  const held = await limiter.acquire('acme');
  const abort = new AbortController();
  const waiting = limiter.acquire('acme', abort.signal);
  abort.abort();
  await assert.rejects(waiting, (err) => code(err) === 'CANCELLED');
  assert.deepEqual(limiter.load('acme'), { running: 1, waiting: 0 });
  held();
  await assert.rejects(limiter.acquire('acme', abort.signal), (err) => code(err) === 'CANCELLED');
  assert.deepEqual(limiter.load('acme'), { running: 0, waiting: 0 });
});
