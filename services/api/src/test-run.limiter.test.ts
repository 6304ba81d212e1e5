import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaracalError } from '@caracal/core';
import { TestRunLimiter } from './test-run.limiter';

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof CaracalError && err.code === 'RESOURCE_EXHAUSTED' && err.retriable && message.test(err.message));
}

test('a tenant past its own limit is refused at once; another tenant is not held up by it', () => {
  const limiter = new TestRunLimiter(2, 10);
  const a1 = limiter.acquire('acme');
  limiter.acquire('acme');
  refused(() => limiter.acquire('acme'), /2 of this tenant's are running, its limit \(CARACAL_QUERY_TEST_RUNS_PER_TENANT\)/);
  const b1 = limiter.acquire('globex');
  assert.deepEqual(limiter.load('acme'), { tenant: 2, total: 3 });
  a1();
  a1();
  assert.deepEqual(limiter.load('acme'), { tenant: 1, total: 2 }, 'a release counts once');
  limiter.acquire('acme');
  b1();
  assert.deepEqual(limiter.load('globex'), { tenant: 0, total: 2 });
});

test('past the limit for all tenants, any tenant is refused until a run ends', () => {
  const limiter = new TestRunLimiter(2, 3);
  limiter.acquire('a');
  limiter.acquire('b');
  const c = limiter.acquire('c');
  refused(() => limiter.acquire('d'), /the server runs 3, its limit for all tenants \(CARACAL_QUERY_TEST_RUNS_TOTAL\)/);
  c();
  limiter.acquire('d');
});
