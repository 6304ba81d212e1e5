import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedForAudit, MAX_AUDITED_STRING_CHARS, peerAddress } from './api-audit.service';

test('the peer of a call becomes the sourceIP only when it is an address', () => {
  assert.equal(peerAddress('ipv4:10.1.2.3:50123'), '10.1.2.3');
  assert.equal(peerAddress('ipv6:[::1]:50123'), '::1');
  assert.equal(peerAddress('unix:/tmp/caracal.sock'), undefined);
  assert.equal(peerAddress(''), undefined);
});

test('long strings are cut in the trail, saying how much, and the shape is kept', () => {
  const sql = `SELECT '${'x'.repeat(10_000)}'`;
  const bounded = boundedForAudit({ sql, ids: ['a', 'b'], n: 3, nested: { comment: 'y'.repeat(MAX_AUDITED_STRING_CHARS + 1) } }) as Record<string, unknown>;
  assert.equal((bounded.sql as string).length, MAX_AUDITED_STRING_CHARS + ` (${sql.length - MAX_AUDITED_STRING_CHARS} more characters)`.length + 1);
  assert.match(bounded.sql as string, /… \(\d+ more characters\)$/);
  assert.deepEqual(bounded.ids, ['a', 'b']);
  assert.equal(bounded.n, 3);
  assert.match((bounded.nested as { comment: string }).comment, /… \(1 more characters\)$/);
  assert.equal(boundedForAudit('short'), 'short');
});
