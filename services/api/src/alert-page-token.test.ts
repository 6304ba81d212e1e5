import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaracalError } from '@caracal/core';
import { decodeAlertPageToken, encodeAlertPageToken } from './alert-page-token';

test('a page token decodes to the cursor it was made from, and is URL-safe', () => {
  const cursor = { createdAtMs: 1767225600123, alertId: 'a/b+c=d é' };
  const token = encodeAlertPageToken(cursor);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeAlertPageToken(token), cursor);
});

test('malformed page tokens are invalid arguments', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
  const bad = [
    '',
    'not base64!',
    'a'.repeat(2000),
    Buffer.from('not json', 'utf8').toString('base64url'),
    b64(null),
    b64([1, 'x']),
    b64({ createdAtMs: '1', alertId: 'x' }),
    b64({ createdAtMs: 1.5, alertId: 'x' }),
    b64({ createdAtMs: -1, alertId: 'x' }),
    b64({ createdAtMs: 1 }),
    b64({ createdAtMs: 1, alertId: '' }),
  ];
  for (const token of bad) {
    assert.throws(
      () => decodeAlertPageToken(token),
      (err: unknown) => err instanceof CaracalError && err.code === 'INVALID_ARGUMENT',
      `accepted ${JSON.stringify(token).slice(0, 60)}`,
    );
  }
});
