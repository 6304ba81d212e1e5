import * as path from 'node:path';
import type { CaracalConfig, Logger } from '@caracal/core';
import type { CaracalMetrics } from '@caracal/core/observability';
import { KafkaBus } from './kafka-bus';
import { LocalBus } from './local-bus';
import { MessageBus } from './message-bus';
import type { DeadLetterOptions } from './poison-message.policy';

/** `metrics`, when given, counts the dead letters of the bus's consumers. */
export function createMessageBus(config: CaracalConfig, logger: Logger, metrics?: CaracalMetrics): MessageBus {
  const deadLetters: DeadLetterOptions = { maxAttempts: config.consumer.maxAttempts, retryBackoffMs: config.consumer.retryBackoffMs, metrics };
  if (config.mode === 'kafka') {
    return new KafkaBus({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      topicPrefix: config.kafka.topicPrefix,
      topicPartitions: config.kafka.topicPartitions,
      requestTimeoutMs: config.kafka.requestTimeoutMs,
      logger,
      deadLetters,
    });
  }
  return new LocalBus({ dir: path.join(config.dataDir, 'bus'), logger, deadLetters });
}
