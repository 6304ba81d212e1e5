// A fix for kafkajs 2.2.4's RequestQueue (one per broker connection), which
// kafkajs' maintainers have not released (decision 0010: kafkajs is
// unmaintained; tulios/kafkajs#1751, fixes #1755 and #1768 still open).
//
// After every check of its pending requests the queue re-arms a timer, even
// when nothing is pending, for `throttledUntil - Date.now()` ms. throttledUntil
// starts at -1, so outside broker throttling that delay is minus the current
// time: Node clamps it to 1 ms. Every connection thus polls every millisecond
// for as long as it is open (tulios/kafkajs#1704), and since Node 24 the first
// such timer also prints "TimeoutNegativeWarning: -17... is a negative number".
//
// The replacement keeps the original for a non-empty queue (wait out the
// throttle, or 10 ms while requests are held back by the in-flight limit) and
// arms nothing for an empty one: a request only ever becomes pending through
// push(), which schedules a check itself, so an idle timer has nothing to find.

/** The kafkajs release whose RequestQueue this was written against. */
export const KAFKAJS_VERSION_FIXED = '2.2.4';
// kafkajs' CHECK_PENDING_REQUESTS_INTERVAL.
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const FIXED = Symbol.for('caracal.kafkajs.requestQueueFixed');

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS);
}

/** kafkajs' RequestQueue class, from the copy of kafkajs that `require('kafkajs')` loads here. */
export function kafkajsRequestQueue(): { prototype: RequestQueueInternals } & (new (options: Record<string, unknown>) => RequestQueueInternals) {
  return require('kafkajs/src/network/requestQueue');
}

/**
 * Replaces RequestQueue#scheduleCheckPendingRequests (see above). Idempotent.
 * Returns false, changing nothing, for a kafkajs other than the release it was
 * written against; kafkajs-request-queue.test.ts fails then, so an upgrade
 * gets this looked at again.
 */
export function fixKafkajsRequestQueue(): boolean {
  const version: string = require('kafkajs/package.json').version;
  if (version !== KAFKAJS_VERSION_FIXED) return false;
  const proto = kafkajsRequestQueue().prototype as RequestQueueInternals & { [FIXED]?: true };
  if (typeof proto.scheduleCheckPendingRequests !== 'function') return false;
  if (!proto[FIXED]) {
    proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
    proto[FIXED] = true;
  }
  return true;
}
