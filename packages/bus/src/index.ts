/**
 * @caracal/bus: the message bus adapter (Apache Kafka through kafkajs, or a
 * durable in-process log for embedded mode), the topic contracts every
 * producer and consumer takes, the consumer base class, and the one policy
 * for a message that cannot be handled (bounded retries, then the consumer
 * dead-letter topic).
 */
export type { BatchFill, BatchHandler, BusConsumer, BusProducer, BusTopicReader, ConsumedBatch, ConsumedMessage, ConsumerOptions, MessageBus, OutgoingMessage, ReaderHandler, TopicOptions } from './message-bus';
export { BusError } from './errors';
export { KafkaBus } from './kafka-bus';
export { sourceTopicConsumer } from './source-cluster.bus';
export type { SourceClusterSettings, SourceTopicOptions } from './source-cluster.bus';
export { fixKafkajsRequestQueue } from './kafkajs-request-queue';
export { LocalBus } from './local-bus';
export { createMessageBus } from './create-message-bus';
export { DEAD_LETTER_HEADERS, deadLetterMessage, readDeadLetter } from './dead-letter.envelope';
export type { DeadLetter, DeadLetterFailure } from './dead-letter.envelope';
export { DeadLetterPublisher, isPoisonFailure, runSlice } from './poison-message.policy';
export type { DeadLetterOptions, RetryPolicy, SliceSteps } from './poison-message.policy';
export { jsonCodec, RAW_CODEC } from './message-codec';
export type { MessageCodec } from './message-codec';
export { decodeMessage, defineTopic, encodeMessage, ensureContractTopics, isTombstone, publish, sendEncoded } from './topic-contract';
export { OnDemandProducer } from './on-demand-producer';
export { encodeEvent } from './event-message';
export type { EncodedEvent } from './event-message';
export type { TopicContract } from './topic-contract';
export {
  ALERT_DELIVERIES,
  ALERT_EVENTS,
  ALERTS,
  CONSUMER_DEAD_LETTERS,
  DETECTIONS,
  eventsTopic,
  FIXED_TOPICS,
  INGEST_REJECTIONS,
  RULE_ERRORS,
  RULE_MATCHES,
  SCHEDULED_ROWS,
  Topics,
} from './topic-contracts';
export { ContractConsumer } from './contract-consumer.base';
export type { ConsumerSubscription } from './contract-consumer.base';
