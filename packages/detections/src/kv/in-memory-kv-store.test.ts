import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryKvStore } from './in-memory-kv-store';
import { kvStoreContract } from './kv-store.contract';

let clockMs = Date.UTC(2026, 0, 1);
let counter = 0;
const store = new InMemoryKvStore(() => clockMs);

kvStoreContract('in-memory store', () => ({
  store,
  advanceSeconds: (seconds) => {
    clockMs += seconds * 1000;
    return Promise.resolve();
  },
  tenant: (label) => `tenant-${label}-${++counter}`,
}));

test('a clock told where each call was made answers in the time of that call (a replay: the time of the unit whose event is evaluated)', async () => {
  const eventTimesMs = [Date.UTC(2026, 0, 1, 10, 0), Date.UTC(2026, 0, 1, 10, 50), Date.UTC(2026, 0, 1, 12, 0)];
  const replay = new InMemoryKvStore(({ unit }) => eventTimesMs[unit ?? 0]);
  const increment = (unit: number) => replay.execute('t', { op: 'increment_counter', key: 'k', val: 1, epochSeconds: 3600 }, { unit });
  assert.equal(await increment(0), 1);
  // 50 minutes later by the events: still within the hour the first write set.
  assert.equal(await increment(1), 2);
  // 70 minutes after that: the entry expired at 11:50, so the count starts again.
  assert.equal(await increment(2), 1);
});
