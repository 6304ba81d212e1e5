import { ALERTS, type BusTopicReader, decodeMessage, isTombstone } from '@caracal/bus';
import type { Logger } from '@caracal/core';
import type { AlertRecord } from '@caracal/core/messages';
import { windowEndMs } from './alert-dedup';

// A key whose window ended this long ago can no longer be extended, and a
// replay of its outputs comes within minutes of a crash, not a day.
const IDLE_KEY_RETENTION_MS = 24 * 3600 * 1000;
const EVICT_EVERY_MS = 60_000;

/**
 * The latest alert of every dedup key, rebuilt from the compacted `alerts`
 * topic: the stage's own output is its state, so a restart or a partition
 * moving to another instance needs nothing but the topic.
 */
export class AlertStateStore {
  private readonly latest = new Map<string, AlertRecord>();
  private lastEvictMs = 0;

  constructor(
    private readonly reader: BusTopicReader,
    private readonly logger: Logger,
  ) {}

  async start(catchUpTimeoutMs: number): Promise<void> {
    await this.reader.run((partition, messages) => {
      for (const m of messages) {
        // A tombstone empties a key that has long been idle; nothing to restore.
        if (isTombstone(ALERTS, m)) continue;
        try {
          this.apply(decodeMessage(ALERTS, m));
        } catch (err) {
          // This is a view of the topic, not a consumer group: the alert writer's group reads the same
          // message and sets it aside on the dead-letter topic; here it can only be passed over.
          this.logger.error({ err, partition, offset: m.offset }, 'unreadable alert record skipped');
        }
      }
    });
    await this.caughtUp(catchUpTimeoutMs);
    this.logger.info({ keys: this.latest.size }, 'alert state restored');
  }

  /** Waits until everything published to the topic so far (by any instance) is applied. */
  caughtUp(timeoutMs: number): Promise<void> {
    return this.reader.caughtUp(timeoutMs);
  }

  get(dedupKey: string): AlertRecord | undefined {
    return this.latest.get(dedupKey);
  }

  /** Versions only grow per key, so an older record read back late never overwrites a newer one. */
  apply(record: AlertRecord): void {
    const current = this.latest.get(record.dedupKey);
    if (!current || record.version > current.version) this.latest.set(record.dedupKey, record);
  }

  get size(): number {
    return this.latest.size;
  }

  evictIdle(nowMs: number): void {
    if (nowMs - this.lastEvictMs < EVICT_EVERY_MS) return;
    this.lastEvictMs = nowMs;
    for (const [key, a] of this.latest) {
      if (windowEndMs(a) + IDLE_KEY_RETENTION_MS < nowMs) this.latest.delete(key);
    }
  }

  stop(): Promise<void> {
    return this.reader.stop();
  }
}
