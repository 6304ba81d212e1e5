import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySeenEventsStore } from './in-memory-seen-events.store';
import { seenEventKey } from './seen-events.store';

const WINDOW_SECONDS = 60;

function store(): { seen: InMemorySeenEventsStore; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { seen: new InMemorySeenEventsStore(WINDOW_SECONDS, () => now), advance: (ms) => (now += ms) };
}

test('a new event passes; the same message again passes; a copy at another position is refused', async () => {
  const { seen } = store();
  const a = seenEventKey('acme', 'row-a');
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:0:10' }]), [true]);
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:0:10' }]), [true], 'a replay of the same message');
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:1:7' }]), [false], 'the copy published again');
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:0:10' }]), [true], 'the first position still owns it');
});

test('within one call the first copy wins, and keys of other tenants are apart', async () => {
  const { seen } = store();
  const answers = await seen.claim([
    { key: seenEventKey('acme', 'row-1'), position: 'logs:0:1' },
    { key: seenEventKey('acme', 'row-1'), position: 'logs:0:2' },
    { key: seenEventKey('globex', 'row-1'), position: 'logs:0:3' },
    { key: seenEventKey('acme', 'row-2'), position: 'logs:0:4' },
  ]);
  assert.deepEqual(answers, [true, false, true, true]);
  assert.notEqual(seenEventKey('a:b', 'c'), seenEventKey('a', 'b:c'));
});

test('a claim expires after the window, and expired entries are dropped', async () => {
  const { seen, advance } = store();
  const a = seenEventKey('acme', 'row-a');
  await seen.claim([{ key: a, position: 'logs:0:10' }]);
  advance(WINDOW_SECONDS * 1000 - 1);
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:1:7' }]), [false], 'still inside the window');
  advance(1);
  assert.deepEqual(await seen.claim([{ key: seenEventKey('acme', 'row-b'), position: 'logs:0:11' }]), [true]);
  assert.equal(seen.size, 1, 'the expired claim is gone; only the new one is held');
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:1:7' }]), [true], 'past the window the copy is new again');
  assert.deepEqual(await seen.claim([{ key: a, position: 'logs:0:10' }]), [false], 'and now owns the event');
});
