import { repairLoneSurrogates } from '@caracal/core';
import type { NormalizedEvent } from '@caracal/core/messages';
import type { OutgoingMessage } from './message-bus';
import { encodeMessage, TopicContract } from './topic-contract';

export type EncodedEvent =
  | { ok: true; message: OutgoingMessage; repaired: boolean }
  | { ok: false; problem: { field: '(event)'; problem: string } };

/**
 * A normalized event as the message of its events topic, the way every
 * producer of events (HTTP ingest, the API's audit trail) must make it.
 * A lone surrogate is replaced by U+FFFD rather than refused: refusing would
 * let a sender hide an event from the rules with one bad character, and the
 * lake cannot store one (JSON carries it as "\ud800", which ClickHouse
 * refuses). JSON.stringify writes a lone surrogate, and only that (or a
 * literal backslash-u-d), as the text \ud…, so the walk over the event runs
 * only for the rare event whose JSON has it. An event over `maxEventBytes`
 * once encoded is refused, naming its size.
 */
export function encodeEvent(contract: TopicContract<NormalizedEvent>, event: NormalizedEvent, maxEventBytes: number, headers?: Record<string, string>): EncodedEvent {
  let message = encodeMessage(contract, event, headers);
  let repaired = false;
  if (typeof message.value === 'string' && message.value.includes('\\ud')) {
    const repairedEvent = repairLoneSurrogates(event);
    if (repairedEvent.repaired > 0) {
      repaired = true;
      message = encodeMessage(contract, repairedEvent.value, headers);
    }
  }
  const bytes = Buffer.byteLength(message.value);
  if (bytes > maxEventBytes) return { ok: false, problem: { field: '(event)', problem: `is ${bytes} bytes once normalized; the limit is ${maxEventBytes}` } };
  return { ok: true, message, repaired };
}
