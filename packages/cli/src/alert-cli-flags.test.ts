import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoTime, parseSeverities, parseStatuses } from './alert-cli-flags';

const invalid = (err: unknown) => (err as { code?: string }).code === 'INVALID_ARGUMENT';

test('status and severity lists are comma-separated and case-insensitive', () => {
  assert.deepEqual(parseStatuses('open, TRIAGED,open'), ['OPEN', 'TRIAGED']);
  assert.deepEqual(parseSeverities('high,Critical'), ['HIGH', 'CRITICAL']);
  assert.deepEqual(parseStatuses(undefined), []);
  assert.throws(() => parseStatuses('OPEN,DONE'), (err: Error) => invalid(err) && /"DONE"/.test(err.message));
  assert.throws(() => parseSeverities(','), invalid);
});

test('times are ISO 8601, UTC unless a zone is given', () => {
  assert.equal(parseIsoTime('--since', '2026-11-24')!.toISOString(), '2026-11-24T00:00:00.000Z');
  assert.equal(parseIsoTime('--since', '2026-11-24T10:00')!.toISOString(), '2026-11-24T10:00:00.000Z');
  assert.equal(parseIsoTime('--since', '2026-11-24T10:00:00.5+02:00')!.toISOString(), '2026-11-24T08:00:00.500Z');
  assert.equal(parseIsoTime('--since', undefined), undefined);
  for (const text of ['yesterday', '2026-13-45', '24/11/2026', '2026-11-24T25:00:00Z']) {
    assert.throws(() => parseIsoTime('--since', text), invalid, text);
  }
});
