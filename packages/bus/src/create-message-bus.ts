import * as path from 'node:path';
import type { CaracalConfig, Logger } from '@caracal/core';
import { KafkaBus } from './kafka-bus';
import { LocalBus } from './local-bus';
import { MessageBus } from './message-bus';

export function createMessageBus(config: CaracalConfig, logger: Logger): MessageBus {
  if (config.mode === 'kafka') {
    return new KafkaBus({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      topicPrefix: config.kafka.topicPrefix,
      topicPartitions: config.kafka.topicPartitions,
      requestTimeoutMs: config.kafka.requestTimeoutMs,
      logger,
    });
  }
  return new LocalBus({ dir: path.join(config.dataDir, 'bus'), logger });
}
