import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUPERVISION_SIGNAL } from './host-protocol';
import { RunReport, SupervisionClock } from './supervision-clock';

function clockAt(): { clock: SupervisionClock; advance(ms: number): void; events: string[]; heap: { bytes: number } } {
  let now = 1_000_000;
  const events: string[] = [];
  const heap = { bytes: 100 };
  const clock = new SupervisionClock({
    timeLimitMs: 1000,
    memoryLimitBytes: 1000,
    heapBytes: () => heap.bytes,
    beat: (r: RunReport) => events.push(`beat ${r.unit}:${r.rule}`),
    overdue: (r: RunReport) => events.push(`overdue ${r.unit}:${r.rule}#${r.seq}`),
    cleared: (seq) => events.push(`cleared #${seq}`),
    now: () => now,
  });
  return { clock, advance: (ms) => (now += ms), events, heap };
}

test('the interrupt buffer delivers the signal at most every tick, only while a run is going', () => {
  const { clock, advance } = clockAt();
  assert.equal(clock.interruptBuffer[0], 0, 'no run');
  clock.begin(0, 1);
  advance(150);
  assert.equal(clock.interruptBuffer[0], SUPERVISION_SIGNAL);
  assert.equal(clock.interruptBuffer[0], 0, 'the same tick');
  clock.interruptBuffer[0] = 0;
  advance(100);
  assert.equal(clock.interruptBuffer[0], SUPERVISION_SIGNAL);
});

test('a run past its limit is reported overdue once, and cleared when it ends', () => {
  const { clock, advance, events } = clockAt();
  const seq = clock.begin(3, 7);
  advance(500);
  void clock.interruptBuffer[0];
  advance(600);
  void clock.interruptBuffer[0];
  advance(200);
  void clock.interruptBuffer[0];
  assert.equal(clock.overdue(), seq);
  assert.deepEqual(events, ['beat 3:7', `overdue 3:7#${seq}`], 'one beat a second, one overdue report');
  clock.begin(4, 7);
  assert.deepEqual(events.slice(-1), [`cleared #${seq}`]);
});

test('memory is over the limit only for the run that grew it', () => {
  const { clock, heap } = clockAt();
  heap.bytes = 2000;
  clock.begin(0, 0);
  assert.equal(clock.memoryExceeded(), false, 'it was already over when the run started');
  heap.bytes = 3000;
  assert.equal(clock.memoryExceeded(), true);
});
