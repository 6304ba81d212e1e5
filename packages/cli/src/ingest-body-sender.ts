import { createHmac } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { CaracalError } from '@caracal/core';
import type { SourceAuthMode } from '@caracal/core/control-plane';
import { backoffDelayMs, parseRetryAfter } from './retry-delay';

/** How a request proves it comes from the source's sender (see source-auth.ts in core, which checks it). */
export interface SendAuth {
  mode: SourceAuthMode;
  /** Lower-case header name: the secret's, the signature's, or Authorization. */
  header: string;
  secret: string;
}

export interface IngestTarget {
  /** Ingest's base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  sourceId: string;
  auth: SendAuth;
}

export interface RejectedInBody {
  index: number;
  problems: { field: string; problem: string }[];
}

/** What became of one body. */
export type BodyOutcome =
  /** Ingest read it: `accepted` are durable, `rejected` (up to 100 listed of `rejectedCount`) are not. */
  | { kind: 'answered'; accepted: number; rejectedCount: number; rejected: RejectedInBody[] }
  /** Larger than ingest takes (413): the caller may send its events in smaller bodies. */
  | { kind: 'too-large'; message: string }
  /** Refused as a whole, not to be sent again as it is (400, 422): none of its events were kept. */
  | { kind: 'refused'; status: number; message: string };

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  /** `HTTP 429`, `HTTP 503`, or the connection error. */
  reason: string;
}

export interface PostOptions {
  /** Attempts after the first, on 429, 502, 503, 504 and connection errors. */
  retries: number;
  onRetry?: (notice: RetryNotice) => void;
  /** A request that takes longer is abandoned and sent again. */
  timeoutMs?: number;
}

const RETRIED_STATUS = new Set([429, 502, 503, 504]);
const DEFAULT_TIMEOUT_MS = 120_000;

/** The headers that authenticate `body`; an HMAC covers its exact bytes, as ingest reads them off the wire. */
export function authHeaders(auth: SendAuth, body: Buffer): Record<string, string> {
  switch (auth.mode) {
    case 'shared-secret':
      return { [auth.header]: auth.secret };
    case 'bearer':
      return { [auth.header]: `Bearer ${auth.secret}` };
    case 'hmac-sha256':
      return { [auth.header]: `sha256=${createHmac('sha256', auth.secret).update(body).digest('hex')}` };
  }
}

/** The message of ingest's error answer ({ error: { code, message } }), or the start of whatever else came. */
function errorMessage(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // not ingest's JSON: a proxy's page, say
  }
  const start = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  return start === '' ? `HTTP ${status}` : `HTTP ${status}: ${start}`;
}

function answerOf(text: string): BodyOutcome | undefined {
  try {
    const parsed = JSON.parse(text) as { accepted?: unknown; rejectedCount?: unknown; rejected?: unknown };
    if (typeof parsed.accepted !== 'number' || !Array.isArray(parsed.rejected)) return undefined;
    const rejected = parsed.rejected as RejectedInBody[];
    const rejectedCount = typeof parsed.rejectedCount === 'number' ? parsed.rejectedCount : rejected.length;
    return { kind: 'answered', accepted: parsed.accepted, rejectedCount, rejected };
  } catch {
    return undefined;
  }
}

/**
 * Posts one NDJSON body to the source, again on a busy or unreachable ingest
 * until `retries` run out. The body is sent again byte for byte. That is safe
 * even when an earlier attempt's outcome is unknown (a timeout, a connection
 * cut after ingest published): ingest derives each event's p_row_id from
 * tenant, source and the event's canonical JSON (log-event.normalizer.ts), so
 * a resent event gets the id it had: the rules-worker skips an id it has
 * evaluated within its window (an hour by default), and the lake's
 * ReplacingMergeTree folds rows of the same (tenant, event time, row id) when
 * it merges. The one gap: an event whose log type lets its time field be
 * absent takes the parse time as p_event_time, so its copy is a second row.
 *
 * Throws a CaracalError when the source will take nothing (401, 403, 404) or
 * the retries ran out; other whole-body refusals are returned.
 */
export async function postBody(target: IngestTarget, body: Buffer, options: PostOptions): Promise<BodyOutcome> {
  const endpoint = `${target.url.replace(/\/+$/, '')}/http/${encodeURIComponent(target.sourceId)}`;
  const headers = { 'content-type': 'application/x-ndjson', ...authHeaders(target.auth, body) };
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let retryAfterMs: number | undefined;
    try {
      const res = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
      const text = await res.text();
      if (res.ok || res.status === 400) {
        // A 400 with counts is a body whose every event was refused; without them, a body refused whole.
        const answer = answerOf(text);
        if (answer) return answer;
        if (res.ok) throw new CaracalError('INTERNAL', `${endpoint} answered HTTP ${res.status} without event counts: ${text.slice(0, 200)}`);
      }
      if (res.status === 413) return { kind: 'too-large', message: errorMessage(res.status, text) };
      if (!RETRIED_STATUS.has(res.status)) {
        const message = errorMessage(res.status, text);
        if (res.status === 401) throw new CaracalError('UNAUTHENTICATED', message);
        if (res.status === 403) throw new CaracalError('PERMISSION_DENIED', message);
        if (res.status === 404) throw new CaracalError('NOT_FOUND', message);
        if (res.status >= 500) throw new CaracalError('UNAVAILABLE', `ingest failed (HTTP ${res.status}): ${message}`);
        return { kind: 'refused', status: res.status, message };
      }
      reason = `HTTP ${res.status}: ${errorMessage(res.status, text)}`;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    } catch (err) {
      if (err instanceof CaracalError) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      reason = (err as Error).name === 'TimeoutError' ? 'no answer in time' : (cause?.code ?? cause?.message ?? (err as Error).message);
    }
    if (attempt >= options.retries) {
      throw new CaracalError('UNAVAILABLE', `ingest at ${target.url} did not take the body after ${attempt + 1} attempts (last: ${reason})`, { retriable: true });
    }
    const delayMs = retryAfterMs ?? backoffDelayMs(attempt);
    options.onRetry?.({ attempt: attempt + 1, delayMs, reason });
    await delay(delayMs);
  }
}
