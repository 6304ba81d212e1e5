import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { CaracalError, privateRangeOf, publicOnlyLookup } from '@caracal/core';
import { DestinationRecord } from '@caracal/core/control-plane';
import { AlertDeliveryRecord, AlertRecord, toClickHouseTime } from '@caracal/core/messages';
import { displayUrl } from './destination-url';
import { buildSlackPayload } from './slack-payload';
import { buildWebhookPayload } from './webhook-payload';

export const USER_AGENT = 'caracal-alerts/1';
/** A receiver asking for a longer pause is waited for this long, no longer: one alert must not hold its batch for hours. */
export const RETRY_AFTER_MAX_MS = 60_000;
const ERROR_BODY_MAX = 200;

export interface DeliveryOptions {
  /** One request, connection to last byte of the answer. */
  timeoutMs: number;
  /** Tries, the first included. */
  maxAttempts: number;
  /** Wait before the first retry; doubled for each further one, plus up to 25 % jitter. */
  backoffMs: number;
  /** When false, destinations resolving to loopback, private, link-local, unspecified or CGNAT addresses are refused. */
  allowPrivateNetworks: boolean;
  now?: () => Date;
  /**
   * Aborting (at shutdown) stops the requests and pauses and rejects, so the
   * caller leaves the alert to be delivered again rather than record a failure.
   */
  signal?: AbortSignal;
}

type AttemptResult =
  | { kind: 'response'; status: number; retryAfterMs: number | null; body: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'network'; reason: string }
  | { kind: 'timeout' };

/** The id of one alert's delivery to one destination: the same on every retry, so a receiver can drop repeats. */
export function deliveryIdOf(alert: AlertRecord, destination: DestinationRecord): string {
  return `${alert.alertId}:${destination.id}`;
}

/**
 * Delivers one alert to one destination: POST, retried with exponential
 * backoff on network errors, timeouts, 429 and 5xx. Never rejects for a
 * failed delivery (that is a FAILED record); rejects only when aborted.
 */
export async function deliverAlert(destination: DestinationRecord, alert: AlertRecord, options: DeliveryOptions): Promise<AlertDeliveryRecord> {
  const now = options.now ?? (() => new Date());
  const where = displayUrl(destination.type, destination.url);
  const record = (outcome: AlertDeliveryRecord['outcome'], attempts: number, httpStatus: number, error: string, at: Date): AlertDeliveryRecord => ({
    tenantId: alert.tenantId,
    alertId: alert.alertId,
    destinationId: destination.id,
    destinationType: destination.type,
    outcome,
    attempts,
    httpStatus,
    error,
    attemptedAt: toClickHouseTime(at),
  });

  let url: URL;
  try {
    url = new URL(destination.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported protocol ${url.protocol}`);
  } catch {
    return record('FAILED', 0, 0, `destination "${destination.id}" has an invalid url`, now());
  }
  if (destination.type === 'webhook' && !destination.signingSecret) {
    return record('FAILED', 0, 0, `webhook destination "${destination.id}" has no signing secret`, now());
  }
  const deliveryId = deliveryIdOf(alert, destination);
  const body = JSON.stringify(destination.type === 'slack' ? buildSlackPayload(alert) : buildWebhookPayload(alert, deliveryId));
  const maxAttempts = Math.max(1, options.maxAttempts);

  let lastStatus = 0;
  let attemptedAt = now();
  for (let attempt = 1; ; attempt++) {
    attemptedAt = now();
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
    if (destination.type === 'webhook') {
      // Signed per attempt: the timestamp lets receivers refuse old replays.
      const timestamp = String(Math.floor(attemptedAt.getTime() / 1000));
      headers['x-caracal-delivery-id'] = deliveryId;
      headers['x-caracal-timestamp'] = timestamp;
      headers['x-caracal-signature'] = `sha256=${createHmac('sha256', destination.signingSecret!).update(`${timestamp}.${body}`).digest('hex')}`;
    }
    const result = await postOnce(url, body, headers, options);
    const tries = `after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
    let error: string;
    let retryAfterMs: number | null = null;
    switch (result.kind) {
      case 'refused':
        return record('FAILED', attempt, lastStatus, `refused to deliver to ${where}: ${result.reason}`, attemptedAt);
      case 'response': {
        lastStatus = result.status;
        if (result.status >= 200 && result.status < 300) return record('DELIVERED', attempt, result.status, '', attemptedAt);
        const detail = result.body === '' ? '' : `: ${result.body}`;
        if (result.status !== 429 && result.status < 500) {
          const redirect = result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : '';
          return record('FAILED', attempt, result.status, `HTTP ${result.status} from ${where}${redirect} ${tries}${detail}`, attemptedAt);
        }
        error = `HTTP ${result.status} from ${where} ${tries}${detail}`;
        retryAfterMs = result.retryAfterMs;
        break;
      }
      case 'timeout':
        error = `no answer from ${where} within ${options.timeoutMs} ms ${tries}`;
        break;
      case 'network':
        error = `cannot reach ${where} (${result.reason}) ${tries}`;
        break;
    }
    if (attempt >= maxAttempts) return record('FAILED', attempt, lastStatus, error, attemptedAt);
    await pause(retryAfterMs ?? backoff(options.backoffMs, attempt), options.signal);
  }
}

function backoff(baseMs: number, attempt: number): number {
  return baseMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25);
}

/** Retry-After in seconds; the HTTP-date form is not honoured (the backoff applies). */
function parseRetryAfter(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || !/^\s*\d+\s*$/.test(v)) return null;
  return Math.min(Number(v) * 1000, RETRY_AFTER_MAX_MS);
}

function cancelled(): CaracalError {
  return new CaracalError('UNAVAILABLE', 'alert delivery cancelled: shutting down', { retriable: true });
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class PrivateAddressError extends CaracalError {
  constructor(host: string, address: string, range: string) {
    const resolved = host === address ? `${address} is` : `${host} resolves to ${address},`;
    super('PERMISSION_DENIED', `${resolved} a ${range} address; private network destinations are off (CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS)`);
    this.name = 'PrivateAddressError';
  }
}

// Resolves like the default lookup, refusing private addresses (the check is on the address Node connects to).
const publicOnly: LookupFunction = publicOnlyLookup((host, address, range) => new PrivateAddressError(host, address, range));

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > ERROR_BODY_MAX ? `${flat.slice(0, ERROR_BODY_MAX)}…` : flat;
}

function postOnce(url: URL, body: string, headers: Record<string, string>, options: DeliveryOptions): Promise<AttemptResult> {
  return new Promise((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) return reject(cancelled());
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    // Node connects to an IP literal without a lookup, so literals are checked here.
    if (!options.allowPrivateNetworks && isIP(host) !== 0) {
      const range = privateRangeOf(host);
      if (range) return resolve({ kind: 'refused', reason: new PrivateAddressError(host, host, range).message });
    }

    let done = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let status = 0;
    let retryAfterMs: number | null = null;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: AttemptResult | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const answered = () => finish({ kind: 'response', status, retryAfterMs, body: oneLine(Buffer.concat(chunks).toString('utf8')) });
    const onAbort = () => {
      finish(cancelled());
      req.destroy();
    };

    const request = url.protocol === 'https:' ? https.request : http.request;
    let req: http.ClientRequest;
    try {
      req = request({
        method: 'POST',
        hostname: host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // A fresh connection each time: every connection goes through the address check.
        agent: false,
        lookup: options.allowPrivateNetworks ? undefined : publicOnly,
      });
    } catch (err) {
      // Thrown for what retrying cannot change (a bad URL part); a rejection would redeliver forever.
      return resolve({ kind: 'refused', reason: `the request could not be made: ${(err as Error).message}` });
    }
    timer = setTimeout(() => {
      timedOut = true;
      // The status, once it came, is the answer even if the body is slow.
      if (status !== 0) answered();
      else finish({ kind: 'timeout' });
      req.destroy();
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      const keepBody = status < 200 || status >= 300;
      res.on('data', (chunk: Buffer) => {
        if (keepBody && size < ERROR_BODY_MAX * 4) {
          chunks.push(chunk);
          size += chunk.length;
        }
      });
      res.on('end', answered);
      res.on('close', answered);
      res.on('error', answered);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof PrivateAddressError) finish({ kind: 'refused', reason: err.message });
      else if (timedOut) finish({ kind: 'timeout' });
      else if (status !== 0) answered();
      else finish({ kind: 'network', reason: err.message || err.code || 'connection failed' });
    });
    req.end(body);
  });
}
