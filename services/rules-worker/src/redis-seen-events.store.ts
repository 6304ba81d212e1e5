import { Logger, UnavailableError } from '@caracal/core';
import { closeRedis, connectRedis } from '@caracal/detections';
import type { RedisClientType } from 'redis';
import type { SeenEventClaim, SeenEventsStore } from './seen-events.store';

export interface RedisSeenEventsStoreOptions {
  windowSeconds: number;
  /**
   * The install (config.kafka.topicPrefix): installs that share one Redis
   * have their own offsets, so their claims must not meet.
   */
  namespace?: string;
  connectTimeoutMs?: number;
  /** The longest one claim may wait for Redis before the batch fails. */
  commandTimeoutMs?: number;
  logger?: Logger;
}

/** Apart from the detections' cache (caracal:kv:) on the same server. */
export const SEEN_EVENT_KEY_PREFIX = 'caracal:seen:';

/** The Redis key of a claim; exported for tests that look at Redis directly. */
export function redisSeenEventKey(namespace: string, key: string): string {
  return `${SEEN_EVENT_KEY_PREFIX}${encodeURIComponent(namespace)}:${key}`;
}

/**
 * The store of kafka mode: the copies of one event may sit in different
 * partitions, read by different rules-worker processes, so the claims live
 * in Redis. One key per event for the window (SET ... EX), which is what
 * bounds Redis's memory: at about 150 bytes a key (MEMORY USAGE ~100-130,
 * plus its expiry entry), 1,000 events/s for the default hour is 3.6 M keys,
 * roughly 0.5 GB.
 *
 * `SET key position NX GET EX window` (Redis 7+) claims and reads in one
 * atomic command: nil when the key was new, else the position that claimed
 * it first. All claims of a batch go in one pipeline, one round trip.
 */
export class RedisSeenEventsStore implements SeenEventsStore {
  private closed = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly windowSeconds: number,
    private readonly namespace: string,
  ) {}

  /** Fails with a retriable UNAVAILABLE error when Redis cannot be reached within the connect timeout. */
  static async connect(url: string, options: RedisSeenEventsStoreOptions): Promise<RedisSeenEventsStore> {
    const client = await connectRedis(url, { ...options, purpose: 'seen events' });
    return new RedisSeenEventsStore(client, options.windowSeconds, options.namespace ?? '');
  }

  async claim(claims: readonly SeenEventClaim[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const multi = this.client.multi();
    for (const { key, position } of claims) {
      multi.set(redisSeenEventKey(this.namespace, key), position, { condition: 'NX', GET: true, expiration: { type: 'EX', value: this.windowSeconds } });
    }
    let replies: unknown[];
    try {
      // A pipeline, not MULTI/EXEC: each SET is atomic on its own, and claims of one batch need no isolation from other workers'.
      replies = await multi.execAsPipeline();
    } catch (err) {
      throw new UnavailableError(`seen events: Redis did not answer the claims of ${claims.length} events`, { cause: err });
    }
    return claims.map(({ position }, i) => {
      const previous = replies[i];
      return previous === null || previous === undefined || String(previous) === position;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeRedis(this.client);
  }
}
