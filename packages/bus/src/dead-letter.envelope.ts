import { CaracalError, describeError, truncateUtf8, wellFormedText } from '@caracal/core';
import { toClickHouseTime } from '@caracal/core/messages';
import type { ConsumedMessage, OutgoingMessage } from './message-bus';

/**
 * Headers a dead letter carries beside the original key, value and headers.
 * The value stays byte for byte what the consumer could not handle, so an
 * operator can publish it again once the cause is fixed.
 */
export const DEAD_LETTER_HEADERS = {
  topic: 'caracal-dlq-topic',
  partition: 'caracal-dlq-partition',
  offset: 'caracal-dlq-offset',
  group: 'caracal-dlq-group',
  errorCode: 'caracal-dlq-error-code',
  error: 'caracal-dlq-error',
  attempts: 'caracal-dlq-attempts',
  at: 'caracal-dlq-at',
  tenant: 'caracal-dlq-tenant',
} as const;

/** The reason's text is cut to this: enough for the causes, small beside the 1 MiB a message may have. */
export const MAX_DEAD_LETTER_ERROR_BYTES = 4096;
// Tenant ids are at most 63 characters (the control store's pattern); a longer "tenant" is not one.
const MAX_TENANT_CHARS = 63;

/** Where a message was read and why it was set aside. */
export interface DeadLetterFailure {
  topic: string;
  partition: number;
  groupId: string;
  error: unknown;
  attempts: number;
  at: Date;
}

/** A dead letter as read back from the dead-letter topic. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  errorCode: string;
  error: string;
  attempts: number;
  /** ClickHouse DateTime64(3) text, UTC. */
  at: string;
  /** '' when the message named no tenant that could be read. */
  tenantId: string;
  key: string | null;
  value: Buffer;
  /** The original message's headers (a traceparent, say), without the caracal-dlq-* ones. */
  headers: Record<string, string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The error code a dead letter is counted and filed under. */
export function failureCode(err: unknown): string {
  return err instanceof CaracalError ? err.code : 'INTERNAL';
}

/**
 * The tenant a message belongs to, when its JSON names one where Caracal's
 * records keep it (events and rejections: p_tenant_id; rule outputs, alerts,
 * deliveries: tenantId; alert events: row.p_tenant_id). A message that is not
 * JSON, or names none, has no tenant.
 */
export function tenantOfMessage(value: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const row = isObject(parsed.row) ? parsed.row : undefined;
  for (const candidate of [parsed.p_tenant_id, parsed.tenantId, row?.p_tenant_id]) {
    if (typeof candidate === 'string' && candidate.length > 0 && candidate.length <= MAX_TENANT_CHARS) return wellFormedText(candidate);
  }
  return undefined;
}

/** The message to publish on the dead-letter topic for `message`, which `failure.groupId` could not handle. */
export function deadLetterMessage(message: ConsumedMessage, failure: DeadLetterFailure): OutgoingMessage {
  const tenant = tenantOfMessage(message.value);
  const own = Object.values(DEAD_LETTER_HEADERS) as string[];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (!own.includes(name)) headers[name] = value;
  Object.assign(headers, {
    [DEAD_LETTER_HEADERS.topic]: failure.topic,
    [DEAD_LETTER_HEADERS.partition]: String(failure.partition),
    [DEAD_LETTER_HEADERS.offset]: message.offset,
    [DEAD_LETTER_HEADERS.group]: failure.groupId,
    [DEAD_LETTER_HEADERS.errorCode]: failureCode(failure.error),
    // A cut can split a surrogate pair, and the reason quotes what the message held: made well-formed after cutting.
    [DEAD_LETTER_HEADERS.error]: wellFormedText(truncateUtf8(describeError(failure.error), MAX_DEAD_LETTER_ERROR_BYTES)),
    [DEAD_LETTER_HEADERS.attempts]: String(failure.attempts),
    [DEAD_LETTER_HEADERS.at]: toClickHouseTime(failure.at),
    ...(tenant === undefined ? {} : { [DEAD_LETTER_HEADERS.tenant]: tenant }),
  });
  return { key: message.key ?? '', value: message.value, headers };
}

/**
 * A message of the dead-letter topic, read leniently: whatever it lacks is
 * left empty (-1 for numbers) rather than refused, since a dead letter that
 * cannot be filed has nowhere further to go.
 */
export function readDeadLetter(message: ConsumedMessage): DeadLetter {
  const h = message.headers ?? {};
  const int = (name: string) => (/^-?\d{1,10}$/.test(h[name] ?? '') ? Number(h[name]) : -1);
  const own = Object.values(DEAD_LETTER_HEADERS) as string[];
  const original: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) if (!own.includes(name)) original[name] = value;
  return {
    topic: h[DEAD_LETTER_HEADERS.topic] ?? '',
    partition: int(DEAD_LETTER_HEADERS.partition),
    offset: h[DEAD_LETTER_HEADERS.offset] ?? '',
    groupId: h[DEAD_LETTER_HEADERS.group] ?? '',
    errorCode: h[DEAD_LETTER_HEADERS.errorCode] ?? '',
    error: h[DEAD_LETTER_HEADERS.error] ?? '',
    attempts: int(DEAD_LETTER_HEADERS.attempts),
    at: h[DEAD_LETTER_HEADERS.at] ?? '',
    tenantId: h[DEAD_LETTER_HEADERS.tenant] ?? '',
    key: message.key,
    value: message.value,
    headers: original,
  };
}
