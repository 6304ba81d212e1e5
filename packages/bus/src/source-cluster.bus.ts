import { CaracalError, type Logger } from '@caracal/core';
import { publicOnlySocketFactory } from './guarded-socket.factory';
import { KafkaBus } from './kafka-bus';
import type { BusConsumer, OutgoingMessage } from './message-bus';

/** A customer's Kafka cluster, as a Kafka source names it. */
export interface SourceClusterSettings {
  brokers: string[];
  tls: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  clientId: string;
  requestTimeoutMs: number;
  /** When false, brokers on loopback, private, link-local or CGNAT addresses are refused (CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
}

export interface SourceTopicOptions {
  groupId: string;
  topic: string;
  maxBatchMessages: number;
}

/**
 * Reads one topic of a cluster that is not Caracal's bus (a Kafka source's,
 * decision 0029) through the same adapter as the bus: batches per partition,
 * offsets committed only after the handler resolved, a consumer that dies
 * for good started again. Group and topic names are the customer's, without
 * Caracal's topic prefix. The handler is expected to turn what it cannot read
 * into rejections itself; anything that still fails as the message's fault
 * is set aside through `deadLetters` (Caracal's own dead-letter topic: the
 * customer's cluster gets nothing written to it).
 */
export function sourceTopicConsumer(
  settings: SourceClusterSettings,
  options: SourceTopicOptions,
  logger: Logger,
  deadLetters: (topic: string, messages: OutgoingMessage[]) => Promise<void>,
): BusConsumer {
  const cluster = new KafkaBus({
    brokers: settings.brokers,
    clientId: settings.clientId,
    topicPrefix: '',
    topicPartitions: 1,
    requestTimeoutMs: settings.requestTimeoutMs,
    logger,
    ssl: settings.tls,
    ...(settings.sasl ? { sasl: settings.sasl } : {}),
    ...(settings.allowPrivateNetworks
      ? {}
      : {
          socketFactory: publicOnlySocketFactory((host, address, range) => {
            const resolved = host === address ? `${address} is` : `${host} resolves to ${address},`;
            return new CaracalError('PERMISSION_DENIED', `${resolved} a ${range} address; pull sources may not reach private networks (CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS)`);
          }),
        }),
    deadLetterSink: deadLetters,
  });
  const consumer = cluster.consumer({ groupId: options.groupId, topics: [options.topic], fromBeginning: true, maxBatchMessages: options.maxBatchMessages });
  return {
    run: (handler) => consumer.run(handler),
    isRunning: () => consumer.isRunning(),
    // The consumer was the bus's only client: closing the bus disconnects it and anything else it made.
    stop: async () => {
      await consumer.stop();
      await cluster.close();
    },
  };
}
