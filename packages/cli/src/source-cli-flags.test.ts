import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authModeName, parseAuthMode, parsePreviousValid, parseRateLimit } from './source-cli-flags';

const invalid = (err: unknown) => (err as { code?: string }).code === 'INVALID_ARGUMENT';

test('--auth takes the control file names in any case; unset is the server default', () => {
  assert.equal(parseAuthMode(undefined), 'SOURCE_AUTH_MODE_UNSPECIFIED');
  assert.equal(parseAuthMode('shared-secret'), 'SOURCE_AUTH_MODE_SHARED_SECRET');
  assert.equal(parseAuthMode('HMAC-SHA256'), 'SOURCE_AUTH_MODE_HMAC_SHA256');
  assert.equal(parseAuthMode(' bearer '), 'SOURCE_AUTH_MODE_BEARER');
  for (const text of ['', 'hmac', 'SOURCE_AUTH_MODE_BEARER']) assert.throws(() => parseAuthMode(text), invalid, text);
  assert.equal(authModeName('SOURCE_AUTH_MODE_HMAC_SHA256'), 'hmac-sha256');
  assert.equal(authModeName('SOURCE_AUTH_MODE_UNSPECIFIED'), 'unspecified');
});

test('--rate-limit is a whole number from 1 to 100000; unset is 0, the default on the wire', () => {
  assert.equal(parseRateLimit(undefined), 0);
  assert.equal(parseRateLimit('1'), 1);
  assert.equal(parseRateLimit('100000'), 100_000);
  for (const text of ['0', '-1', '1.5', '1e3', '100001', '4294967297', '']) assert.throws(() => parseRateLimit(text), invalid, text);
});

test('--previous-valid takes seconds or a duration, bounded at 30 days', () => {
  assert.equal(parsePreviousValid(undefined), undefined);
  assert.equal(parsePreviousValid('0'), 0);
  assert.equal(parsePreviousValid('90'), 90);
  assert.equal(parsePreviousValid('24h'), 86_400);
  assert.equal(parsePreviousValid('1h30m'), 5400);
  assert.equal(parsePreviousValid('2d12h'), 216_000);
  assert.equal(parsePreviousValid('30d'), 2_592_000);
  for (const text of ['', '1w', '-1', '1.5h', 'h', '24 h', '31d', '2592001']) assert.throws(() => parsePreviousValid(text), invalid, text);
});
