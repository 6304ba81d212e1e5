import { CaracalError, describeError, type Logger } from '@caracal/core';
import type { SourceRecord } from '@caracal/core/control-plane';
import type { IngestResult, PulledRecord } from '../ingest.service';

/** Where pulled records go: IngestService, the one path of every event into Caracal. */
export interface PulledRecordSink {
  ingestPulled(source: SourceRecord, records: PulledRecord[]): Promise<IngestResult>;
}

export interface PublishOptions {
  /** Records per publish. */
  batchEvents: number;
  /** Bytes of input text per publish (one record larger than this still goes, alone). */
  batchBytes: number;
  /** False once the caller must stop: the rest is left unpublished. */
  active(): boolean;
  /** Waits before a retry; resolves early when the caller stops. */
  pause(ms: number): Promise<void>;
  logger: Logger;
}

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 10_000;
// The raw bytes kept of an input refused as a whole; the rejection cuts them further to its own limit.
const KEPT_RAW_BYTES = 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Publishes records in parts, each acknowledged by the bus before the next,
 * so that an object of millions of events never waits in memory for one
 * acknowledgment. A part the bus did not take (Kafka slow or down) is sent
 * again after a pause, for as long as the caller is active: its row ids are
 * the same, so a part that landed after all is dropped downstream. Resolves
 * true once every part is acknowledged, false when the caller stopped first.
 */
export async function publishChunks(sink: PulledRecordSink, source: SourceRecord, records: PulledRecord[], options: PublishOptions): Promise<boolean> {
  let start = 0;
  while (start < records.length) {
    if (!options.active()) return false;
    let end = start;
    let bytes = 0;
    while (end < records.length && end - start < options.batchEvents && (end === start || bytes + records[end].text.length <= options.batchBytes)) {
      bytes += records[end].text.length;
      end++;
    }
    const part = records.slice(start, end);
    for (let attempt = 0; ; attempt++) {
      try {
        await sink.ingestPulled(source, part);
        break;
      } catch (err) {
        if (!CaracalError.isRetriable(err)) throw err;
        if (!options.active()) return false;
        const waitMs = Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS);
        options.logger.warn({ sourceId: source.id, attempt: attempt + 1, waitMs, err: describeError(err) }, 'pull source: the bus did not take the events; sending them again');
        await options.pause(waitMs);
      }
    }
    start = end;
  }
  return true;
}

/**
 * The one record of an input refused as a whole (an object or message that
 * is not gzip, not UTF-8 or not JSON): its bytes as read, as text when they
 * are UTF-8 and base64 otherwise, cut to a bound, and the problem.
 */
export function rejectedWhole(requestId: string, bytes: Buffer, field: string, problem: string): PulledRecord {
  const kept = bytes.subarray(0, KEPT_RAW_BYTES);
  let text: string;
  let encoding: PulledRecord['encoding'] = 'utf8';
  try {
    text = utf8.decode(kept);
  } catch {
    text = kept.toString('base64');
    encoding = 'base64';
  }
  return { requestId, index: -1, text, encoding, problem: { field, problem } };
}
