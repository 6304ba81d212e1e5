import { createHash } from 'node:crypto';

/**
 * Alert ids are a pure function of what identifies the alert, so a worker
 * that replays a batch after a crash names the same alert again.
 *
 * The dedup window here is the fixed period of the event time. A later alert
 * stage keeps windows that open with the alert itself; until then a fixed
 * period is what a stateless worker can compute on its own.
 */
export function alertIdFor(input: { tenantId: string; ruleId: string; dedup: string; eventTimeMs: number; dedupPeriodMinutes: number }): {
  alertId: string;
  windowStartMs: number;
} {
  const periodMs = Math.max(1, input.dedupPeriodMinutes) * 60_000;
  const windowStartMs = Math.floor(input.eventTimeMs / periodMs) * periodMs;
  const alertId = createHash('sha256')
    .update([input.tenantId, input.ruleId, input.dedup, String(windowStartMs)].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  return { alertId, windowStartMs };
}
