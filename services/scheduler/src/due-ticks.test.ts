import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleTicks } from '@caracal/detections';
import { dueTicks } from './due-ticks';

const iso = (ticks: Date[]) => ticks.map((t) => t.toISOString());
const hourly = new ScheduleTicks({ rateMinutes: 60 });
const window = { windowMs: 24 * 3_600_000, maxTicks: 24 };

test('a query new since 16:42 has its first tick at 17:00, not the hours before it was scheduled', () => {
  assert.deepEqual(iso(dueTicks(hourly, new Date('2026-12-06T16:42:00Z'), new Date('2026-12-06T16:59:59Z'), window)), []);
  assert.deepEqual(iso(dueTicks(hourly, new Date('2026-12-06T16:42:00Z'), new Date('2026-12-06T17:00:00Z'), window)), ['2026-12-06T17:00:00.000Z']);
  assert.deepEqual(iso(dueTicks(hourly, new Date('2026-12-06T17:00:00Z'), new Date('2026-12-06T17:00:00Z'), window)), ['2026-12-06T17:00:00.000Z'], 'a tick at the very instant it was first scheduled runs');
});

test('after twelve hours down, the twelve missed hours are due, oldest first', () => {
  const due = dueTicks(hourly, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-06T17:30:00Z'), { windowMs: 12 * 3_600_000 + 1_800_000, maxTicks: 24 });
  assert.equal(due.length, 12);
  assert.deepEqual([due[0].toISOString(), due[11].toISOString()], ['2026-12-06T06:00:00.000Z', '2026-12-06T17:00:00.000Z']);
});

test('the window and the count both bound the catch-up: a minutely query down for an hour runs its newest 24 minutes', () => {
  const minutely = new ScheduleTicks({ rateMinutes: 1 });
  const due = dueTicks(minutely, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-06T18:00:30Z'), window);
  assert.deepEqual([due.length, due[0].toISOString(), due[23].toISOString()], [24, '2026-12-06T17:37:00.000Z', '2026-12-06T18:00:00.000Z']);
  const daily = new ScheduleTicks({ rateMinutes: 1440 });
  assert.deepEqual(iso(dueTicks(daily, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-06T18:00:00Z'), window)), ['2026-12-06T00:00:00.000Z'], 'only the day within the window');
});
