/** A message to publish. The key decides the partition, so it decides ordering. */
export interface OutgoingMessage {
  key: string;
  value: string | Buffer;
}

export interface ConsumedMessage {
  key: string | null;
  value: Buffer;
  offset: string;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. */
  fromBeginning?: boolean;
  /** Upper bound of messages handed to one handler call. */
  maxBatchMessages?: number;
}

/**
 * Called with each batch. The batch's offsets are committed only after the
 * returned promise resolves, so whatever the handler published or wrote must
 * be durable by then. A rejection redelivers the batch.
 */
export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface BusConsumer {
  run(handler: BatchHandler): Promise<void>;
  stop(): Promise<void>;
}

export interface BusProducer {
  /** Resolves once every message is durable (Kafka: acknowledged by all in-sync replicas). */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface MessageBus {
  readonly kind: 'kafka' | 'local';
  ensureTopics(topics: string[]): Promise<void>;
  producer(): Promise<BusProducer>;
  consumer(options: ConsumerOptions): BusConsumer;
  close(): Promise<void>;
}
