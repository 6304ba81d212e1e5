import { randomBytes } from 'node:crypto';
import { Admin, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import type { Logger } from '@caracal/core';
import { BusError } from './errors';
import { chunkMessages } from './message-chunks';
import {
  BatchHandler,
  BusConsumer,
  BusProducer,
  BusTopicReader,
  ConsumerOptions,
  MessageBus,
  OutgoingMessage,
  ReaderHandler,
  TopicOptions,
} from './message-bus';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Prefixed to every topic and group id here, so the services never see it. */
  topicPrefix: string;
  topicPartitions: number;
  requestTimeoutMs: number;
  logger: Logger;
}

const ENSURE_TOPICS_ATTEMPTS = 10;
// A compacted topic keeps every update for a week before compaction may drop
// superseded ones, so a consumer that was down for days still sees them all.
const MIN_COMPACTION_LAG_MS = 7 * 24 * 3600 * 1000;
const CAUGHT_UP_POLL_MS = 20;
// An idle fetch returns after this long. A member rejoins a rebalance and a
// consumer stops only between fetches, so kafkajs' 5 s default makes both slow.
const FETCH_MAX_WAIT_MS = 1000;

/** Routes kafkajs' own log lines into ours, at the same levels. */
function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: { level: logLevel; log: { message: string; [k: string]: unknown } }) => {
      const { message, ...extra } = log;
      if (level === logLevel.ERROR) logger.error(extra, `kafkajs: ${message}`);
      else if (level === logLevel.WARN) logger.warn(extra, `kafkajs: ${message}`);
      else logger.debug(extra, `kafkajs: ${message}`);
    };
}

/** The only file that knows kafkajs: swapping the client means rewriting this one. */
export class KafkaBus implements MessageBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producers = new Set<Producer>();
  private readonly consumers = new Set<KafkaBusConsumer>();
  private readonly readers = new Set<KafkaTopicReader>();

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      requestTimeout: options.requestTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
      retry: { retries: 8, initialRetryTime: 200 },
    });
  }

  async ensureTopics(topics: string[], options: TopicOptions = {}): Promise<void> {
    const configEntries = options.compacted
      ? [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'min.compaction.lag.ms', value: String(MIN_COMPACTION_LAG_MS) },
        ]
      : [];
    const wanted = topics.map((t) => this.name(t));
    const admin: Admin = this.kafka.admin();
    let lastError: unknown;
    try {
      await admin.connect();
      // Several services start at once and race to create the same topics; a
      // loser sees "already exists" or a leader not elected yet. Listing and
      // creating what is missing again is idempotent, so retry until it holds.
      for (let attempt = 0; attempt < ENSURE_TOPICS_ATTEMPTS; attempt++) {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((t) => !existing.has(t));
        if (missing.length === 0) return;
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions: this.options.topicPartitions, replicationFactor: -1, configEntries })),
          });
        } catch (err) {
          lastError = err;
          await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
        }
      }
    } catch (err) {
      lastError = err;
    } finally {
      await admin.disconnect();
    }
    throw new BusError(`cannot create Kafka topics ${wanted.join(', ')}`, { cause: lastError });
  }

  private name(topicOrGroup: string): string {
    return this.options.topicPrefix + topicOrGroup;
  }

  async producer(): Promise<BusProducer> {
    // Idempotence lets kafkajs retry a send without writing a message twice.
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    try {
      await producer.connect();
    } catch (err) {
      throw new BusError(`cannot connect to Kafka at ${this.options.brokers.join(',')}`, { cause: err });
    }
    this.producers.add(producer);
    return {
      send: async (topic: string, messages: OutgoingMessage[]) => {
        if (messages.length === 0) return;
        try {
          // In order, one chunk at a time: with one request in flight the partition keeps the caller's order.
          for (const chunk of chunkMessages(messages)) {
            await producer.send({ topic: this.name(topic), acks: -1, messages: chunk.map((m) => ({ key: m.key, value: m.value })) });
          }
        } catch (err) {
          throw new BusError(`Kafka did not acknowledge ${messages.length} message(s) to ${topic}`, { cause: err });
        }
      },
      disconnect: async () => {
        this.producers.delete(producer);
        await producer.disconnect();
      },
    };
  }

  consumer(options: ConsumerOptions): BusConsumer {
    const consumer = new KafkaBusConsumer(
      this.kafka.consumer({
        groupId: this.name(options.groupId),
        allowAutoTopicCreation: false,
        maxBytesPerPartition: 1024 * 1024,
        maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
        retry: { retries: 8 },
      }),
      { ...options, topics: options.topics.map((t) => this.name(t)) },
      this.options.logger,
      this.options.topicPrefix.length,
      () => this.consumers.delete(consumer),
    );
    this.consumers.add(consumer);
    return consumer;
  }

  reader(topic: string): BusTopicReader {
    // A group of its own that never commits: every start reads the topic from the beginning.
    const groupId = this.name(`caracal-reader-${randomBytes(8).toString('hex')}`);
    const reader = new KafkaTopicReader(this.kafka, this.name(topic), groupId, this.options.logger, () => this.readers.delete(reader));
    this.readers.add(reader);
    return reader;
  }

  async close(): Promise<void> {
    await Promise.all([...this.readers].map((r) => r.stop()));
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await Promise.all([...this.producers].map((p) => p.disconnect()));
    this.producers.clear();
  }
}

class KafkaBusConsumer implements BusConsumer {
  private running = false;
  private generation = 0;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    private readonly prefixLength: number,
    private readonly onStop: () => void,
  ) {}

  async run(handler: BatchHandler): Promise<void> {
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.generation++;
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    const maxBatch = this.options.maxBatchMessages ?? 1000;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += maxBatch) {
          const slice = batch.messages.slice(i, i + maxBatch);
          await handler({
            topic: batch.topic.slice(this.prefixLength),
            partition: batch.partition,
            generation: this.generation,
            messages: slice.map((m) => ({ key: m.key ? m.key.toString('utf8') : null, value: m.value ?? Buffer.alloc(0), offset: m.offset })),
          });
          const last = slice[slice.length - 1].offset;
          // Resolved and committed only now, after the handler's output is durable;
          // an unresolved offset is fetched again.
          resolveOffset(last);
          await this.consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
          ]);
          await heartbeat();
        }
      },
    });
    this.logger.debug({ groupId: this.options.groupId, topics: this.options.topics }, 'consumer running');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.onStop();
    await this.consumer.disconnect();
  }
}

class KafkaTopicReader implements BusTopicReader {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  /** The next offset to hand over, per partition. */
  private readonly positions = new Map<number, bigint>();
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly groupId: string,
    private readonly logger: Logger,
    private readonly onStop: () => void,
  ) {}

  async run(handler: ReaderHandler): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 1024 * 1024,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.messages.length === 0) return;
        handler(
          batch.partition,
          batch.messages.map((m) => ({ key: m.key ? m.key.toString('utf8') : null, value: m.value ?? Buffer.alloc(0), offset: m.offset })),
        );
        this.positions.set(batch.partition, BigInt(batch.messages[batch.messages.length - 1].offset) + 1n);
      },
    });
  }

  async caughtUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ends: { partition: number; high: string; low: string }[];
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      ends = await this.admin.fetchTopicOffsets(this.topic);
    } catch (err) {
      throw new BusError(`cannot read the end offsets of ${this.topic}`, { cause: err });
    }
    const behind = () =>
      ends.filter((e) => BigInt(e.high) > BigInt(e.low) && (this.positions.get(e.partition) ?? -1n) < BigInt(e.high)).map((e) => e.partition);
    while (behind().length > 0) {
      if (this.stopped) throw new BusError(`the reader of ${this.topic} stopped before it caught up`);
      if (Date.now() > deadline) {
        throw new BusError(`the reader of ${this.topic} did not catch up within ${timeoutMs} ms (partitions ${behind().join(', ')})`);
      }
      await new Promise((r) => setTimeout(r, CAUGHT_UP_POLL_MS));
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
    await this.consumer?.disconnect().catch((err: unknown) => this.logger.warn({ err, topic: this.topic }, 'reader disconnect failed'));
    if (this.admin) {
      // Nothing was committed, so the group holds no offsets; deleting it just keeps listings tidy.
      await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
      await this.admin.disconnect().catch(() => undefined);
    }
  }
}
