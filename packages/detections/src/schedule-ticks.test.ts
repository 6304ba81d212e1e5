import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '@caracal/core';
import { ScheduleTicks } from './schedule-ticks';

const iso = (d: Date | undefined) => d?.toISOString().replace('.000Z', 'Z');

function nextTicks(schedule: ConstructorParameters<typeof ScheduleTicks>[0], after: string, n: number): (string | undefined)[] {
  const ticks = new ScheduleTicks(schedule);
  const out: (string | undefined)[] = [];
  let at: Date | undefined = new Date(after);
  for (let i = 0; i < n && at; i += 1) {
    at = ticks.next(at);
    out.push(iso(at));
  }
  return out;
}

// Expressions and instants drawn at random; the ticks are what Python's croniter 6 gave for them
// (of 3,834 such draws, ours agreed on all but the four that cover every weekday; see below).
const DRAWN: [string, string, string[]][] = [
  ['* * * */4 *', '2025-04-14T08:26:32Z', ['2025-05-01T00:00:00Z', '2025-05-01T00:01:00Z', '2025-05-01T00:02:00Z']],
  ['* * 12 4,6-7 1-6', '2027-07-07T17:15:30Z', ['2027-07-07T17:16:00Z', '2027-07-07T17:17:00Z', '2027-07-07T17:18:00Z']],
  ['* * 17-27,3-22,14 6-12 SAT', '2028-12-29T07:52:10Z', ['2028-12-30T00:00:00Z', '2028-12-30T00:01:00Z', '2028-12-30T00:02:00Z']],
  ['* * 25 * 2-3', '2021-03-25T19:29:45Z', ['2021-03-25T19:30:00Z', '2021-03-25T19:31:00Z', '2021-03-25T19:32:00Z']],
  ['* 19 14-20 12 6', '2024-01-02T10:32:50Z', ['2024-12-07T19:00:00Z', '2024-12-07T19:01:00Z', '2024-12-07T19:02:00Z']],
  ['* 20 30,23-28 */4 2-6', '2020-05-24T20:04:37Z', ['2020-05-24T20:05:00Z', '2020-05-24T20:06:00Z', '2020-05-24T20:07:00Z']],
  ['* 20-22 6-24/5 1-9/5 2,THU', '2028-07-16T02:02:54Z', ['2029-01-02T20:00:00Z', '2029-01-02T20:01:00Z', '2029-01-02T20:02:00Z']],
  ['* 7-21/5 3-26/3 * 4-5', '2029-11-11T00:48:18Z', ['2029-11-12T07:00:00Z', '2029-11-12T07:01:00Z', '2029-11-12T07:02:00Z']],
  ['*/13 * * */3 WED,5', '2026-04-16T15:25:36Z', ['2026-04-17T00:00:00Z', '2026-04-17T00:13:00Z', '2026-04-17T00:26:00Z']],
  ['*/7 22-23 22-24,9-30 12 MON', '2022-11-05T22:28:54Z', ['2022-12-05T22:00:00Z', '2022-12-05T22:07:00Z', '2022-12-05T22:14:00Z']],
  ['*/7 4-11 */10 * *', '2020-12-23T00:03:27Z', ['2020-12-31T04:00:00Z', '2020-12-31T04:07:00Z', '2020-12-31T04:14:00Z']],
  ['20-33 2-16 3-19/4 9-10,5-11/4,11 */3', '2027-06-27T09:32:10Z', ['2027-09-01T02:20:00Z', '2027-09-01T02:21:00Z', '2027-09-01T02:22:00Z']],
  ['28 * 22 12,2-9/3 *', '2025-07-28T10:17:30Z', ['2025-08-22T00:28:00Z', '2025-08-22T01:28:00Z', '2025-08-22T02:28:00Z']],
  ['3-43/3 4 30 10-12 0', '2022-01-07T16:01:48Z', ['2022-10-02T04:03:00Z', '2022-10-02T04:06:00Z', '2022-10-02T04:09:00Z']],
  ['33-53 23 1-22 10-12 *', '2029-03-11T08:25:47Z', ['2029-10-01T23:33:00Z', '2029-10-01T23:34:00Z', '2029-10-01T23:35:00Z']],
  ['54-56 1-13 23,25-31 12,JAN *', '2029-08-25T08:12:55Z', ['2029-12-23T01:54:00Z', '2029-12-23T01:55:00Z', '2029-12-23T01:56:00Z']],
  ['59 13-20/4 * */5 *', '2025-02-05T09:33:17Z', ['2025-06-01T13:59:00Z', '2025-06-01T17:59:00Z', '2025-06-02T13:59:00Z']],
];

test('cron: the next ticks of drawn expressions, in UTC', () => {
  for (const [expression, after, ticks] of DRAWN) assert.deepEqual(nextTicks({ cronExpression: expression }, after, ticks.length), ticks, `${expression} after ${after}`);
});

test('cron: the schedules of the public content run when they say', () => {
  assert.deepEqual(nextTicks({ cronExpression: '0 0 * * *' }, '2026-12-06T17:10:00Z', 2), ['2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z']);
  assert.deepEqual(nextTicks({ cronExpression: '0 */4 * * *' }, '2026-12-06T17:10:00Z', 2), ['2026-12-06T20:00:00Z', '2026-12-07T00:00:00Z']);
  assert.deepEqual(nextTicks({ cronExpression: '0 * * * *' }, '2026-12-06T17:00:00Z', 2), ['2026-12-06T18:00:00Z', '2026-12-06T19:00:00Z'], 'strictly after a tick');
});

test('cron: the two day fields, where cron implementations differ', () => {
  // Both restricted: either day is a day of the schedule. 2026-12-06 is a Sunday.
  assert.deepEqual(nextTicks({ cronExpression: '0 12 10 * */2' }, '2026-12-06T13:00:00Z', 3), ['2026-12-08T12:00:00Z', '2026-12-10T12:00:00Z', '2026-12-12T12:00:00Z'], '*/2 is restricted (the Go and Python libraries; Vixie cron would read it as *)');
  assert.deepEqual(nextTicks({ cronExpression: '0 12 */15 * 0-6' }, '2026-12-06T13:00:00Z', 2), ['2026-12-07T12:00:00Z', '2026-12-08T12:00:00Z'], '0-6 is restricted, so every day (croniter alone reads it as *)');
  // One of them unrestricted: both must match.
  assert.deepEqual(nextTicks({ cronExpression: '0 12 1 * */1' }, '2026-12-06T13:00:00Z', 2), ['2027-01-01T12:00:00Z', '2027-02-01T12:00:00Z'], '*/1 is *');
  assert.deepEqual(nextTicks({ cronExpression: '0 0 * * 7' }, '2026-12-06T13:00:00Z', 1), ['2026-12-13T00:00:00Z'], '7 is Sunday');
  assert.deepEqual(nextTicks({ cronExpression: '0 0 * * sun' }, '2026-12-06T13:00:00Z', 1), ['2026-12-13T00:00:00Z'], 'names in any case');
});

test('cron: steps from a value, leap days, and a day that never comes', () => {
  assert.deepEqual(nextTicks({ cronExpression: '5/15 * * * *' }, '2026-12-06T17:06:00Z', 4), ['2026-12-06T17:20:00Z', '2026-12-06T17:35:00Z', '2026-12-06T17:50:00Z', '2026-12-06T18:05:00Z']);
  assert.deepEqual(nextTicks({ cronExpression: '0 0 29 2 *' }, '2025-03-01T00:00:00Z', 2), ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']);
  assert.equal(new ScheduleTicks({ cronExpression: '0 0 30 2 *' }).next(new Date('2026-01-01T00:00:00Z')), undefined);
});

test('rates run at whole multiples of their minutes since 1970-01-01 UTC, whoever asks', () => {
  assert.deepEqual(nextTicks({ rateMinutes: 60 }, '2026-12-06T17:10:00Z', 2), ['2026-12-06T18:00:00Z', '2026-12-06T19:00:00Z']);
  assert.deepEqual(nextTicks({ rateMinutes: 1440 }, '2026-12-06T17:10:00Z', 1), ['2026-12-07T00:00:00Z']);
  assert.deepEqual(nextTicks({ rateMinutes: 30 }, '2026-12-06T17:30:00Z', 1), ['2026-12-06T18:00:00Z'], 'strictly after a tick');
  // 43,200 minutes is 30 days: 2026-12-06 is day 20,793 since the epoch, and 20,820 (2027-01-02) the next multiple of 30.
  assert.deepEqual(nextTicks({ rateMinutes: 43200 }, '2026-12-06T17:10:00Z', 1), ['2027-01-02T00:00:00Z']);
  assert.deepEqual(nextTicks({ rateMinutes: 1 }, '2026-12-06T17:10:30Z', 2), ['2026-12-06T17:11:00Z', '2026-12-06T17:12:00Z']);
});

test('between: the ticks of a span, oldest first, the newest ones when there are more than the limit', () => {
  const hourly = new ScheduleTicks({ rateMinutes: 60 });
  const iso3 = (ticks: Date[]) => ticks.map(iso);
  assert.deepEqual(iso3(hourly.between(new Date('2026-12-06T10:00:00Z'), new Date('2026-12-06T13:00:00Z'), 10)), ['2026-12-06T11:00:00Z', '2026-12-06T12:00:00Z', '2026-12-06T13:00:00Z'], 'after is excluded, until included');
  assert.deepEqual(iso3(hourly.between(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-06T13:30:00Z'), 2)), ['2026-12-06T12:00:00Z', '2026-12-06T13:00:00Z']);
  assert.deepEqual(hourly.between(new Date('2026-12-06T10:00:00Z'), new Date('2026-12-06T10:59:00Z'), 5), []);
  assert.deepEqual(hourly.between(new Date('2026-12-06T10:00:00Z'), new Date('2026-12-06T13:00:00Z'), 0), []);
  const cron = new ScheduleTicks({ cronExpression: '0 */4 * * *' });
  assert.deepEqual(iso3(cron.between(new Date('2026-12-05T00:00:00Z'), new Date('2026-12-06T13:00:00Z'), 3)), ['2026-12-06T04:00:00Z', '2026-12-06T08:00:00Z', '2026-12-06T12:00:00Z']);
});

test('a schedule that cannot run is refused, naming why', () => {
  assert.throws(() => new ScheduleTicks({}), (e: unknown) => e instanceof InvalidArgumentError && /either a cron expression or a rate/.test(e.message));
  assert.throws(() => new ScheduleTicks({ cronExpression: '0 0 * * *', rateMinutes: 5 }), InvalidArgumentError);
  assert.throws(() => new ScheduleTicks({ cronExpression: '61 * * * *' }), (e: unknown) => e instanceof InvalidArgumentError && /minute: "61" is not in 0-59/.test(e.message));
  assert.throws(() => new ScheduleTicks({ rateMinutes: 0 }), (e: unknown) => e instanceof InvalidArgumentError && /whole number of minutes >= 1, got 0/.test(e.message));
  assert.throws(() => new ScheduleTicks({ rateMinutes: 1 }).between(new Date(0), new Date(1), -1), InvalidArgumentError);
});
