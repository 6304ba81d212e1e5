/** A message to publish. The key decides the partition, so it decides ordering. */
export interface OutgoingMessage {
  key: string;
  value: string | Buffer;
  /** Carried beside the value (Kafka record headers), e.g. the W3C `traceparent` of the request that produced it. */
  headers?: Record<string, string>;
}

export interface ConsumedMessage {
  key: string | null;
  value: Buffer;
  offset: string;
  headers?: Record<string, string>;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
  /**
   * Grows each time the consumer's group membership changes. Within one
   * generation the partitions a consumer owns do not change, so a handler
   * that keeps per-partition state knows when to catch up on what a
   * previous owner wrote.
   */
  generation: number;
  /** The partition's end offset when the batch was read: the consumer's lag after it is this minus (last offset + 1). */
  highWatermark?: string;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. */
  fromBeginning?: boolean;
  /** Upper bound of messages handed to one handler call. */
  maxBatchMessages?: number;
  /**
   * Let batches fill before they are handed over: a consumer that keeps up
   * would otherwise get whatever arrived since its last batch, and a handler
   * with a high cost per call (a lake insert writes a part; its dedup lookup
   * is a query) pays it for a handful of messages. Without it a batch is
   * handed over as soon as there is one message.
   */
  batchFill?: BatchFill;
  /**
   * A batch handed out again after a crash (its offsets were never
   * committed) has exactly the messages it had the first time. A handler
   * whose output is deduplicated per batch (the writer's insert token) needs
   * this; without it a replay may cut the same messages differently. Costs
   * one extra offset commit per batch.
   */
  stableBatches?: boolean;
  /**
   * Batches of this many partitions may be in the handler at once (Kafka;
   * the local log has one partition per topic). Each partition's batches
   * still come one after another, in order, each committed after its own
   * handler call. For a handler that spends most of a batch waiting on
   * other processes (the rules-worker on its detection processes, Redis and
   * the broker): one batch's waits overlap another's work. Default 1.
   */
  concurrentPartitions?: number;
}

export interface BatchFill {
  /** Hand over a batch once this many bytes of message values wait (Kafka: the fetch's minimum bytes, over all of a member's partitions). */
  minBytes: number;
  /** ...or once the first of them has waited this long. */
  maxWaitMs: number;
}

/**
 * Called with each batch. The batch's offsets are committed only after the
 * returned promise resolves, so whatever the handler published or wrote must
 * be durable by then. A rejection redelivers the batch.
 */
export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface TopicOptions {
  /**
   * Keep at least the latest message of every key instead of expiring by
   * age (Kafka log compaction): for topics that are also a state store.
   */
  compacted?: boolean;
}

/** Called with messages of one partition, in order. */
export type ReaderHandler = (partition: number, messages: ConsumedMessage[]) => void;

/**
 * Reads a whole topic from its beginning and keeps following it, outside any
 * consumer group and without committing: a process's own view of a topic
 * used as state.
 */
export interface BusTopicReader {
  run(handler: ReaderHandler): Promise<void>;
  /** Resolves once every message published to the topic before the call has been handed to the handler. */
  caughtUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BusConsumer {
  run(handler: BatchHandler): Promise<void>;
  stop(): Promise<void>;
  /** Subscribed and consuming: false before run, after stop, and after a crash the client will not recover from. */
  isRunning(): boolean;
}

export interface BusProducer {
  /** Resolves once every message is durable (Kafka: acknowledged by all in-sync replicas). */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface MessageBus {
  readonly kind: 'kafka' | 'local';
  ensureTopics(topics: string[], options?: TopicOptions): Promise<void>;
  producer(): Promise<BusProducer>;
  consumer(options: ConsumerOptions): BusConsumer;
  reader(topic: string): BusTopicReader;
  /** Resolves when the bus answers (Kafka: cluster metadata) within timeoutMs; rejects with a BusError otherwise. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}
