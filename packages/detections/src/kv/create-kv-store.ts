import type { Logger } from '@caracal/core';
import { InMemoryKvStore } from './in-memory-kv-store';
import type { KvStore } from './kv-store';
import { RedisKvStore } from './redis-kv-store';

export interface KvStoreConfig {
  /** Set in kafka mode (config.cache.redisUrl), where every rules-worker process must share one store. */
  redisUrl?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  logger?: Logger;
}

/**
 * The store for panther_detection_helpers.caching: Redis when a URL is
 * configured, otherwise one in-memory store for this process.
 */
export async function createKvStore(config: KvStoreConfig): Promise<KvStore> {
  if (config.redisUrl === undefined || config.redisUrl === '') return new InMemoryKvStore();
  return RedisKvStore.connect(config.redisUrl, {
    connectTimeoutMs: config.connectTimeoutMs,
    commandTimeoutMs: config.commandTimeoutMs,
    logger: config.logger,
  });
}
