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

test('claims made at different times expire in their own order, many at once', async () => {
  const { seen, advance } = store();
  const first = Array.from({ length: 5000 }, (_, i) => ({ key: seenEventKey('acme', `early-${i}`), position: `logs:0:${i}` }));
  assert.ok((await seen.claim(first)).every(Boolean));
  advance(30_000);
  const later = Array.from({ length: 3000 }, (_, i) => ({ key: seenEventKey('acme', `late-${i}`), position: `logs:0:${5000 + i}` }));
  assert.ok((await seen.claim(later)).every(Boolean));
  advance(WINDOW_SECONDS * 1000 - 30_000);
  // The first claims have expired; the later ones have not.
  assert.deepEqual(await seen.claim([first[0], { key: later[0].key, position: 'logs:1:1' }]), [true, false]);
  assert.equal(seen.size, 3001);
  advance(30_000);
  assert.deepEqual(await seen.claim([{ key: later[2999].key, position: 'logs:1:2' }]), [true]);
  assert.equal(seen.size, 2, 'the early claim made again and the one just made');
});

test('through growth, expiry and shrinking, the store answers as a plain map of the window would', async () => {
  const { seen, advance } = store();
  // The model: key -> [position, claimed at]; what the store must answer.
  const model = new Map<string, [string, number]>();
  let now = 1_000_000;
  let seed = 7;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let round = 0; round < 120; round++) {
    // Bursts of up to 6,000 claims grow the table past several sizes; keys
    // repeat across rounds so copies and replays meet entries of every age.
    const claims = Array.from({ length: 1 + random(round % 10 === 0 ? 6000 : 400) }, () => ({
      key: seenEventKey(`t${random(3)}`, `row-${random(20_000)}`),
      position: `logs:${random(2)}:${random(50)}`,
    }));
    const expected = claims.map(({ key, position }) => {
      const held = model.get(key);
      if (held !== undefined && held[1] + WINDOW_SECONDS * 1000 > now) return held[0] === position;
      model.set(key, [position, now]);
      return true;
    });
    assert.deepEqual(await seen.claim(claims), expected, `round ${round}`);
    const live = [...model.values()].filter(([, at]) => at + WINDOW_SECONDS * 1000 > now).length;
    assert.equal(seen.size, live, `entries held after round ${round}`);
    const step = random(4) === 0 ? WINDOW_SECONDS * 1000 : random(9000);
    advance(step);
    now += step;
  }
});
