import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOOKUP_LIST_BYTES, lookupParts, RESEND_WINDOW_MS } from './written-rows.filter';

const row = (i: number, tenant = 't1') => ({ p_tenant_id: tenant, p_row_id: `row-${String(i).padStart(28, '0')}`, p_event_time: `2026-12-06 10:00:${String(i % 60).padStart(2, '0')}.000` });

test('a batch whose ids would pass the query size limit is looked up in parts that keep every row once', () => {
  const rows = Array.from({ length: 10_000 }, (_, i) => row(i, `tenant-${i % 3}`));
  const parts = lookupParts(rows);
  assert.ok(parts.length > 1, 'ten thousand ids make more than one lookup');
  for (const p of parts) {
    const text = [...p.tenants, ...p.ids].reduce((n, s) => n + s.length + 2, 0);
    assert.ok(text <= LOOKUP_LIST_BYTES, `a part's lists take ${text} bytes`);
  }
  const ids = parts.flatMap((p) => [...p.ids]);
  assert.equal(ids.length, 10_000);
  assert.equal(new Set(ids).size, 10_000);
});

test("each part's time range and tenants are those of its own rows", () => {
  const rows = [row(1, 'a'), row(5, 'b'), row(3, 'a')];
  const [part] = lookupParts(rows);
  assert.deepEqual([...part.tenants].sort(), ["'a'", "'b'"]);
  assert.equal(part.to - part.from, 4000);
});

test('a row with a time of its own is looked up at that time; one stamped with its parse time, an hour back', () => {
  const own = { ...row(10), p_parse_time: '2026-12-06 10:05:00.000' };
  assert.equal(lookupParts([own])[0].from, Date.parse('2026-12-06T10:00:10.000Z'));
  const stamped = { ...row(20), p_parse_time: row(20).p_event_time };
  const [part] = lookupParts([own, stamped]);
  assert.equal(part.from, Date.parse('2026-12-06T10:00:20.000Z') - RESEND_WINDOW_MS);
  assert.equal(part.to, Date.parse('2026-12-06T10:00:20.000Z'));
});

test('rows without a tenant, row id or readable event time are not looked up', () => {
  assert.deepEqual(lookupParts([{ p_tenant_id: 't', p_row_id: 'r' }, { p_tenant_id: 't', p_row_id: 'r', p_event_time: 'not a time' }, { p_row_id: 'r', p_event_time: '2026-12-06 10:00:00.000' }]), []);
});
