import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-delay';

test('Retry-After in seconds', () => {
  assert.equal(parseRetryAfter('1'), 1000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  assert.equal(parseRetryAfter('86400'), MAX_RETRY_AFTER_MS);
});

test('Retry-After as an HTTP date, from now; a past date is now', () => {
  const now = Date.parse('2026-12-07T08:00:00Z');
  assert.equal(parseRetryAfter('Mon, 07 Dec 2026 08:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Mon, 07 Dec 2026 07:59:00 GMT', now), 0);
});

test('an absent or unreadable Retry-After leaves the choice to the backoff', () => {
  for (const v of [undefined, null, '', '1.5', '-3', 'soon', 'Mon, 99 Foo 2026']) assert.equal(parseRetryAfter(v), undefined, String(v));
});

test('backoff doubles from half a second to a cap, its upper half random', () => {
  assert.equal(backoffDelayMs(0, () => 0), 250);
  assert.equal(backoffDelayMs(0, () => 1), 500);
  assert.equal(backoffDelayMs(3, () => 1), 4000);
  assert.equal(backoffDelayMs(40, () => 1), 30_000);
  assert.equal(backoffDelayMs(40, () => 0), 15_000);
});
