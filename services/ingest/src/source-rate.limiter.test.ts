import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceRateLimiter } from './source-rate.limiter';

test('a source may burst twice its rate, then waits for tokens to come back', () => {
  let now = 1_000_000;
  const limiter = new SourceRateLimiter(() => now);
  for (let i = 0; i < 4; i++) assert.equal(limiter.take('a', 2), 0, `request ${i} of the burst`);
  assert.equal(limiter.take('a', 2), 1, 'the fifth waits a second');
  assert.equal(limiter.take('b', 2), 0, 'another source has its own bucket');
  now += 500;
  assert.equal(limiter.take('a', 2), 0, 'half a second at 2/s brings one token back');
  assert.equal(limiter.take('a', 2), 1);
});

test('a wait is never less than a second, and tokens never exceed the burst', () => {
  let now = 0;
  const limiter = new SourceRateLimiter(() => now);
  assert.equal(limiter.take('a', 1), 0);
  assert.equal(limiter.take('a', 1), 0);
  assert.equal(limiter.take('a', 1), 1);
  now += 999;
  assert.equal(limiter.take('a', 1), 1, '0.999 tokens is not a request');
  now += 60_000;
  assert.equal(limiter.take('a', 1), 0);
  assert.equal(limiter.take('a', 1), 0);
  assert.equal(limiter.take('a', 1), 1, 'a minute idle still allows only the burst of two');
});
