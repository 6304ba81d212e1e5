import type { ScheduleTicks } from '@caracal/detections';

/** How far back a scheduler catches up on ticks it missed (decision 0025). */
export interface CatchUp {
  /** Ticks older than this, from now, are not run any more. */
  windowMs: number;
  /** At most this many ticks of one query per look: the newest ones. */
  maxTicks: number;
}

export const DEFAULT_CATCH_UP: CatchUp = { windowMs: 24 * 60 * 60 * 1000, maxTicks: 24 };

/**
 * The ticks of a query that should have run by `now`, oldest first: those
 * since it was first scheduled (a tick at that very instant included), within
 * the catch-up window, at most `maxTicks` of them. Which of them already ran
 * is the ledger's to say.
 */
export function dueTicks(ticks: ScheduleTicks, scheduledSince: Date, now: Date, catchUp: CatchUp = DEFAULT_CATCH_UP): Date[] {
  const from = Math.max(scheduledSince.getTime() - 1, now.getTime() - catchUp.windowMs);
  return ticks.between(new Date(from), now, catchUp.maxTicks);
}
