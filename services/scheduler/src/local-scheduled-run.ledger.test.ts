import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalScheduledRunLedger } from './local-scheduled-run.ledger';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function ledgerDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-ledger-'));
  dirs.push(dir);
  return dir;
}

const tick = (iso: string, tenantId = 'acme', queryName = 'Hourly Logins') => ({ tenantId, queryName, tick: new Date(iso) });

test('a tick is claimed once, is running for others until done or its lease ends, and done stays done', async () => {
  let now = 1_000_000;
  const ledger = LocalScheduledRunLedger.open(ledgerDir(), () => now);
  const t = tick('2026-12-06T17:00:00Z');
  assert.equal(await ledger.claim(t, 'a', 60_000), 'claimed');
  assert.equal(await ledger.claim(t, 'b', 60_000), 'running');
  now += 60_000;
  assert.equal(await ledger.claim(t, 'b', 60_000), 'claimed', 'the lease ended without a done mark: the tick runs again');
  await ledger.markDone(t, 3_600_000);
  assert.equal(await ledger.claim(t, 'c', 60_000), 'done');
  now += 3_600_000;
  assert.equal(await ledger.claim(t, 'c', 60_000), 'claimed', 'the mark is kept for its time only');
  assert.equal(await ledger.claim(tick('2026-12-06T17:00:00Z', 'other'), 'a', 60_000), 'claimed', 'the same tick of another tenant');
  assert.equal(await ledger.claim(tick('2026-12-06T17:00:00Z', 'acme', 'Hourly Logins 2'), 'a', 60_000), 'claimed', 'the same tick of another query');
});

test('a released claim can be taken again at once; only its owner releases it', async () => {
  const ledger = LocalScheduledRunLedger.open(ledgerDir());
  const t = tick('2026-12-06T18:00:00Z');
  assert.equal(await ledger.claim(t, 'a', 60_000), 'claimed');
  await ledger.release(t, 'b');
  assert.equal(await ledger.claim(t, 'b', 60_000), 'running', 'another owner cannot release it');
  await ledger.release(t, 'a');
  assert.equal(await ledger.claim(t, 'b', 60_000), 'claimed');
});

test('reopened (a restart): done marks and starts hold, a claim of the process that is gone does not', async () => {
  const dir = ledgerDir();
  const first = LocalScheduledRunLedger.open(dir);
  const done = tick('2026-12-06T17:00:00Z');
  const midRun = tick('2026-12-06T18:00:00Z');
  const since = new Date('2026-12-06T16:42:00Z');
  assert.deepEqual(await first.scheduledSince('acme', 'Hourly Logins', since), since);
  assert.deepEqual(await first.scheduledSince('acme', 'Hourly Logins', new Date('2026-12-06T19:00:00Z')), since, 'the first call fixes it');
  assert.equal(await first.claim(done, 'a', 3_600_000), 'claimed');
  await first.markDone(done, 3_600_000);
  assert.equal(await first.claim(midRun, 'a', 3_600_000), 'claimed');
  await first.close();

  const second = LocalScheduledRunLedger.open(dir);
  assert.equal(await second.claim(done, 'b', 60_000), 'done');
  assert.equal(await second.claim(midRun, 'b', 60_000), 'claimed', 'the crashed run is run again without waiting for its lease');
  assert.deepEqual(await second.scheduledSince('acme', 'Hourly Logins', new Date()), since);
});

test('tenant ids and query names cannot reach into each other\'s ticks through the separator', async () => {
  const ledger = LocalScheduledRunLedger.open(ledgerDir());
  const at = new Date('2026-12-06T17:00:00Z');
  assert.equal(await ledger.claim({ tenantId: 'a:b', queryName: 'c', tick: at }, 'x', 60_000), 'claimed');
  assert.equal(await ledger.claim({ tenantId: 'a', queryName: 'b:c', tick: at }, 'x', 60_000), 'claimed');
});
