import { Provider } from '@nestjs/common';
import { CONFIG, CaracalConfig, LOGGER, Logger } from '@caracal/core';
import { InMemorySeenEventsStore } from './in-memory-seen-events.store';
import { RedisSeenEventsStore } from './redis-seen-events.store';
import type { SeenEventsStore } from './seen-events.store';

export const SEEN_EVENTS = Symbol.for('caracal.seen-events');

/**
 * Where the rules-worker claims the events it evaluates: Redis when one is
 * configured (every worker of kafka mode shares it), else this process's
 * memory. Closed by the rules consumer, after its last batch.
 */
export const seenEventsProvider: Provider = {
  provide: SEEN_EVENTS,
  inject: [CONFIG, LOGGER],
  useFactory: async (config: CaracalConfig, logger: Logger): Promise<SeenEventsStore> => {
    const { windowSeconds } = config.dedup;
    if (config.cache.redisUrl === undefined) return new InMemorySeenEventsStore(windowSeconds);
    return RedisSeenEventsStore.connect(config.cache.redisUrl, {
      windowSeconds,
      namespace: config.kafka.topicPrefix,
      connectTimeoutMs: config.cache.connectTimeoutMs,
      logger,
    });
  },
};
