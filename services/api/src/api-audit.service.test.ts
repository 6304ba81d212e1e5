import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedForAudit, MAX_AUDITED_STRING_BYTES, peerAddress } from './api-audit.service';

test('the peer of a call becomes the sourceIP only when it is an address', () => {
  assert.equal(peerAddress('ipv4:10.1.2.3:50123'), '10.1.2.3');
  assert.equal(peerAddress('ipv6:[::1]:50123'), '::1');
  assert.equal(peerAddress('unix:/tmp/caracal.sock'), undefined);
  assert.equal(peerAddress(''), undefined);
});

test('long strings are cut in the trail, saying how large they were, and the shape is kept', () => {
  const sql = `SELECT '${'x'.repeat(10_000)}'`;
  const bounded = boundedForAudit({ sql, ids: ['a', 'b'], n: 3, nested: { comment: 'é'.repeat(MAX_AUDITED_STRING_BYTES) } }) as Record<string, unknown>;
  assert.equal(Buffer.byteLength(bounded.sql as string), MAX_AUDITED_STRING_BYTES);
  assert.match(bounded.sql as string, /^SELECT 'x+… \[truncated, 10009 bytes\]$/);
  assert.deepEqual(bounded.ids, ['a', 'b']);
  assert.equal(bounded.n, 3);
  const comment = (bounded.nested as { comment: string }).comment;
  assert.match(comment, /^é+… \[truncated, 8192 bytes\]$/);
  assert.ok(Buffer.byteLength(comment) <= MAX_AUDITED_STRING_BYTES);
  assert.equal(boundedForAudit('short'), 'short');
});
