import { Admin, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import type { Logger } from '@caracal/core';
import { BusError } from './errors';
import { BatchHandler, BusConsumer, BusProducer, ConsumerOptions, MessageBus, OutgoingMessage } from './message-bus';

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

  async ensureTopics(topics: string[]): Promise<void> {
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
            topics: missing.map((topic) => ({ topic, numPartitions: this.options.topicPartitions, replicationFactor: -1 })),
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
          await producer.send({ topic: this.name(topic), acks: -1, messages: messages.map((m) => ({ key: m.key, value: m.value })) });
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

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await Promise.all([...this.producers].map((p) => p.disconnect()));
    this.producers.clear();
  }
}

class KafkaBusConsumer implements BusConsumer {
  private running = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    private readonly prefixLength: number,
    private readonly onStop: () => void,
  ) {}

  async run(handler: BatchHandler): Promise<void> {
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
