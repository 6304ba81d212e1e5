import type { QuerySchedule } from './content.types';
import { type CronFieldSet, cronExpressionProblem, expandCronExpression } from './cron-expression';
import { InvalidArgumentError } from '@caracal/core';

const MINUTE_MS = 60_000;
// A cron expression that names a day that never comes (the 30th of February) has no tick; the
// search for one stops after eight years, which holds two leap days whatever the start.
const CRON_SEARCH_YEARS = 8;

interface CronTimes {
  minute: CronFieldSet;
  hour: CronFieldSet;
  dayOfMonth: CronFieldSet;
  month: CronFieldSet;
  dayOfWeek: CronFieldSet;
}

function parseCron(expression: string): CronTimes {
  const problem = cronExpressionProblem(expression);
  if (problem !== undefined) throw new InvalidArgumentError(`not a valid cron expression "${expression}": ${problem}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = expandCronExpression(expression);
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}

/**
 * Whether a UTC day is one of the expression's days. When both day fields
 * are restricted, a day that matches either one is a day of the schedule;
 * otherwise both must match. `*`/2 counts as restricted, as robfig/cron v3
 * and croniter read it (Vixie cron would count it as `*`); see decision 0025.
 */
function dayMatches(times: CronTimes, at: Date): boolean {
  const byMonth = times.dayOfMonth.allowed.has(at.getUTCDate());
  const byWeek = times.dayOfWeek.allowed.has(at.getUTCDay());
  if (!times.dayOfMonth.star && !times.dayOfWeek.star) return byMonth || byWeek;
  return byMonth && byWeek;
}

function nextCronTick(times: CronTimes, after: Date): Date | undefined {
  // The first whole minute after `after`.
  const t = new Date(Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  const limit = Date.UTC(t.getUTCFullYear() + CRON_SEARCH_YEARS, 0, 1);
  while (t.getTime() < limit) {
    if (!times.month.allowed.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(times, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!times.hour.allowed.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!times.minute.allowed.has(t.getUTCMinutes())) {
      t.setTime(t.getTime() + MINUTE_MS);
      continue;
    }
    return t;
  }
  return undefined;
}

/**
 * When a schedule runs, in UTC. A cron expression runs as cron reads it. A
 * rate runs at the whole multiples of its minutes since 1970-01-01 00:00 UTC,
 * so that every replica and every restart agrees on its ticks without
 * storing where a rate began: `RateMinutes: 60` runs on the hour, `1440` at
 * midnight UTC.
 */
export class ScheduleTicks {
  private readonly cron: CronTimes | undefined;
  private readonly rateMs: number | undefined;

  constructor(schedule: Pick<QuerySchedule, 'cronExpression' | 'rateMinutes'>) {
    if ((schedule.cronExpression === undefined) === (schedule.rateMinutes === undefined)) {
      throw new InvalidArgumentError('a schedule has either a cron expression or a rate in minutes');
    }
    if (schedule.cronExpression !== undefined) {
      this.cron = parseCron(schedule.cronExpression);
    } else {
      const minutes = schedule.rateMinutes as number;
      if (!Number.isSafeInteger(minutes) || minutes < 1) throw new InvalidArgumentError(`a rate must be a whole number of minutes >= 1, got ${minutes}`);
      this.rateMs = minutes * MINUTE_MS;
    }
  }

  /** The first tick strictly after `after`; undefined for a cron expression that never runs (30 2: no 30th of February). */
  next(after: Date): Date | undefined {
    if (this.rateMs !== undefined) return new Date((Math.floor(after.getTime() / this.rateMs) + 1) * this.rateMs);
    return nextCronTick(this.cron as CronTimes, after);
  }

  /**
   * The ticks after `after` and up to `until` (both UTC), oldest first, at
   * most `limit` of them: the newest `limit` when there are more.
   */
  between(after: Date, until: Date, limit: number): Date[] {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError(`limit must be a whole number >= 0, got ${limit}`);
    const ticks: Date[] = [];
    if (this.rateMs !== undefined) {
      const last = Math.floor(until.getTime() / this.rateMs) * this.rateMs;
      const first = Math.max((Math.floor(after.getTime() / this.rateMs) + 1) * this.rateMs, last - (limit - 1) * this.rateMs);
      for (let t = first; t <= last && ticks.length < limit; t += this.rateMs) ticks.push(new Date(t));
      return ticks;
    }
    // Callers bound the span (a catch-up window): at most one tick a minute within it.
    for (let tick = this.next(after); tick !== undefined && tick.getTime() <= until.getTime(); tick = this.next(tick)) {
      ticks.push(tick);
      if (ticks.length > limit) ticks.shift();
    }
    return ticks;
  }
}
