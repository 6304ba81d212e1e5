import type { BodyRecord } from '../request-body.reader';
import { decodePulledBytes, splitPulledText } from './pulled-bytes.decoder';

/**
 * The events of one Kafka message's value: one JSON object, NDJSON or a JSON
 * array of events (gzip too, though Kafka's own compression is the usual
 * way). An empty value (a tombstone) holds none. Throws UnreadableInputError
 * for a value that holds nothing readable: one rejection, and the consumer goes on.
 */
export async function readKafkaMessage(value: Buffer, maxBytes: number): Promise<BodyRecord[]> {
  if (value.length === 0) return [];
  const { text } = await decodePulledBytes(value, maxBytes, 'the message');
  return splitPulledText(text, 'the message');
}
