import { InvalidArgumentError } from '@caracal/core';

/** Where a page of alerts ended: the next page starts strictly after this alert in (created_at DESC, alert_id) order. */
export interface AlertPageCursor {
  createdAtMs: number;
  alertId: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Longer than any cursor we hand out; a bound keeps a hostile token from costing a large parse.
const MAX_TOKEN_LENGTH = 1024;

/** Opaque to clients, so the cursor's shape can change without an API change. */
export function encodeAlertPageToken(cursor: AlertPageCursor): string {
  return Buffer.from(JSON.stringify({ createdAtMs: cursor.createdAtMs, alertId: cursor.alertId }), 'utf8').toString('base64url');
}

export function decodeAlertPageToken(token: string): AlertPageCursor {
  const invalid = () => new InvalidArgumentError('page_token is not a token this service returned; pass next_page_token unchanged');
  // Buffer.from skips characters outside the alphabet silently, so check them first.
  if (token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const c = parsed as Partial<AlertPageCursor> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    !Number.isSafeInteger(c.createdAtMs) ||
    (c.createdAtMs as number) < 0 ||
    typeof c.alertId !== 'string' ||
    c.alertId.length === 0
  ) {
    throw invalid();
  }
  return { createdAtMs: c.createdAtMs as number, alertId: c.alertId };
}
