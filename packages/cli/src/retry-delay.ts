/** How long to wait before sending a body again, after an answer that asked for a retry or none at all. */

// A server that asks for more than this is treated as asking for this: a send should fail in minutes, not hang for hours.
export const MAX_RETRY_AFTER_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/**
 * A Retry-After header (RFC 9110: delay-seconds or an HTTP-date) in
 * milliseconds from `nowMs`; undefined when absent or unreadable, so the
 * caller falls back to its own backoff. A date in the past means now.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Only the date form has letters; Date.parse would otherwise read "1.5" or "-3" as dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/**
 * Exponential backoff for the `attempt`-th retry (0 for the first), its
 * second half drawn at random: many senders cut off by the same outage do
 * not all come back at the same instant, and none comes back at once.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
