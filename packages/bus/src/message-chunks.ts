import type { OutgoingMessage } from './message-bus';

// Kafka's default message.max.bytes (1 MiB) bounds a whole record batch, and
// kafkajs puts every message of one send for one partition into one batch.
// Half of it leaves room for record headers and for brokers configured lower.
export const MAX_SEND_CHUNK_BYTES = 512 * 1024;
// Per-record framing in a v2 record batch: length, attributes, deltas, key and value lengths.
const RECORD_OVERHEAD_BYTES = 64;

function messageBytes(m: OutgoingMessage): number {
  const value = typeof m.value === 'string' ? Buffer.byteLength(m.value, 'utf8') : m.value.length;
  return Buffer.byteLength(m.key, 'utf8') + value + RECORD_OVERHEAD_BYTES;
}

/**
 * Splits messages into runs of at most `maxBytes`, in order. A single message
 * larger than that still gets a run of its own: the broker decides, and its
 * refusal names the size.
 */
export function chunkMessages(messages: OutgoingMessage[], maxBytes = MAX_SEND_CHUNK_BYTES): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let size = 0;
  for (const m of messages) {
    const bytes = messageBytes(m);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
