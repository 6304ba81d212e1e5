import { randomBytes } from 'node:crypto';
import { Admin, Consumer, IHeaders, ISocketFactory, Kafka, KafkaMessage, logLevel, Producer, SASLOptions } from 'kafkajs';
import type { Logger } from '@caracal/core';
import { BusError } from './errors';
import { chunkMessages } from './message-chunks';
import {
  BatchHandler,
  BusConsumer,
  BusProducer,
  BusTopicReader,
  ConsumedMessage,
  ConsumerOptions,
  MessageBus,
  OutgoingMessage,
  ReaderHandler,
  TopicOptions,
} from './message-bus';
import { DeadLetterOptions, DeadLetterPublisher, runSlice } from './poison-message.policy';
import { fixKafkajsRequestQueue } from './kafkajs-request-queue';

// Before any client connects: stops kafkajs' 1 ms idle poll per connection and
// Node's TimeoutNegativeWarning (see kafkajs-request-queue.ts).
fixKafkajsRequestQueue();

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Prefixed to every topic and group id here, so the services never see it. */
  topicPrefix: string;
  topicPartitions: number;
  requestTimeoutMs: number;
  logger: Logger;
  /** Where consumers set aside messages they cannot handle, and after how many attempts. */
  deadLetters?: DeadLetterOptions;
  /** TLS to the brokers (the system's certificate authorities); Caracal's own bus uses none. */
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** How connections are made; kafkajs' own when absent (a source's cluster checks addresses). */
  socketFactory?: ISocketFactory;
  /**
   * Where dead letters are published instead of this cluster's dead-letter
   * topic: a cluster that is a customer's, not Caracal's bus, gets nothing
   * written to it.
   */
  deadLetterSink?: (topic: string, messages: OutgoingMessage[]) => Promise<void>;
}

// With the pauses below, about a minute in all: a broker loaded by a whole test suite took
// seconds to list, and to elect leaders for, topics it had just created.
const ENSURE_TOPICS_ATTEMPTS = 35;
const ENSURE_TOPICS_MAX_BACKOFF_MS = 2000;
// A compacted topic keeps every update for a week before compaction may drop
// superseded ones, so a consumer that was down for days still sees them all.
const MIN_COMPACTION_LAG_MS = 7 * 24 * 3600 * 1000;
const CAUGHT_UP_POLL_MS = 20;
// An idle fetch returns after this long. A member rejoins a rebalance and a
// consumer stops only between fetches, so kafkajs' 5 s default makes both slow.
const FETCH_MAX_WAIT_MS = 1000;
const DEFAULT_PARTITION_FETCH_BYTES = 1024 * 1024;
// kafkajs' heartbeat interval: a heartbeat asked for more often is skipped by the client.
const HEARTBEAT_WHILE_HANDLING_MS = 3000;
// Commit metadata that records the last offset of the batch being handled,
// written before the handler runs (see ConsumerOptions.stableBatches).
const BATCH_END_MARK = 'caracal-batch-end:';

/**
 * Whether every partition of these topics has a leader, asked of the broker
 * by name: a topic that exists but has no leader yet refuses producers and
 * consumers. A topic the broker does not know yet fails the request, which
 * the caller retries.
 */
async function leadersElected(admin: Admin, topics: string[]): Promise<boolean> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
  return topics.every((name) => {
    const partitions = metadata.find((t) => t.name === name)?.partitions ?? [];
    return partitions.length > 0 && partitions.every((p) => p.leader >= 0);
  });
}

function toKafkaHeaders(headers: Record<string, string> | undefined): IHeaders | undefined {
  return headers && Object.keys(headers).length > 0 ? headers : undefined;
}

function fromKafkaHeaders(headers: IHeaders | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function toConsumed(m: KafkaMessage) {
  return { key: m.key ? m.key.toString('utf8') : null, value: m.value ?? Buffer.alloc(0), offset: m.offset, headers: fromKafkaHeaders(m.headers) };
}

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
  /** Connected on the first ping and kept: a readiness probe every few seconds should not open a connection each time. */
  private pingAdmin: Promise<Admin> | undefined;
  /** Shared by the consumers' dead letters; made on the first one. */
  private deadLetterProducer: Promise<BusProducer> | undefined;
  private deadLetterTopic: Promise<void> | undefined;

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      requestTimeout: options.requestTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
      retry: { retries: 8, initialRetryTime: 200 },
      ...(options.ssl ? { ssl: true } : {}),
      ...(options.sasl ? { sasl: options.sasl as SASLOptions } : {}),
      ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
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
        try {
          const existing = new Set(await admin.listTopics());
          const missing = wanted.filter((t) => !existing.has(t));
          // createTopics answers false, without an error, for a topic another client made
          // first: it exists, whatever the listing said (a busy broker's metadata lags the
          // controller's by seconds). Without a pause below, the loop spun through every
          // attempt in two seconds on such a listing.
          if (missing.length > 0) {
            await admin.createTopics({
              waitForLeaders: false,
              topics: missing.map((topic) => ({ topic, numPartitions: this.options.topicPartitions, replicationFactor: -1, configEntries })),
            });
          }
          if (await leadersElected(admin, wanted)) return;
        } catch (err) {
          lastError = err;
        }
        await new Promise((r) => setTimeout(r, Math.min(250 * (attempt + 1), ENSURE_TOPICS_MAX_BACKOFF_MS)));
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
            await producer.send({ topic: this.name(topic), acks: -1, messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: toKafkaHeaders(m.headers) })) });
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
    const deadLetters = new DeadLetterPublisher(options.groupId, this.options.deadLetters ?? {}, (topic, messages) => this.publishDeadLetters(topic, messages), this.options.logger);
    const consumer = new KafkaBusConsumer(
      () =>
        this.kafka.consumer({
          groupId: this.name(options.groupId),
          allowAutoTopicCreation: false,
          // A fetch gives a partition at most this much, and whole record batches only (an ingest
          // request's events are one record batch of ~0.5 MiB): a 1 MiB cap held a filling
          // consumer to one request's events per batch, whatever minBytes asked for.
          maxBytesPerPartition: Math.max(DEFAULT_PARTITION_FETCH_BYTES, options.batchFill?.minBytes ?? 0),
          // The broker answers a fetch once minBytes are there or the wait is over (so an idle
          // fetch returns after the wait, never later than FETCH_MAX_WAIT_MS).
          minBytes: options.batchFill?.minBytes ?? 1,
          maxWaitTimeInMs: Math.min(options.batchFill?.maxWaitMs ?? FETCH_MAX_WAIT_MS, FETCH_MAX_WAIT_MS),
          retry: { retries: 8 },
        }),
      { ...options, topics: options.topics.map((t) => this.name(t)) },
      this.options.logger,
      this.options.topicPrefix.length,
      () => this.consumers.delete(consumer),
      (topic) => this.committedOffsets(this.name(options.groupId), topic),
      deadLetters,
    );
    this.consumers.add(consumer);
    return consumer;
  }

  /** A failure to connect or create the topic is not kept: the batch is retried, and so is this. */
  private async publishDeadLetters(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.options.deadLetterSink) return this.options.deadLetterSink(topic, messages);
    this.deadLetterTopic ??= this.ensureTopics([topic]).catch((err: unknown) => {
      this.deadLetterTopic = undefined;
      throw err;
    });
    await this.deadLetterTopic;
    this.deadLetterProducer ??= this.producer().catch((err: unknown) => {
      this.deadLetterProducer = undefined;
      throw err;
    });
    await (await this.deadLetterProducer).send(topic, messages);
  }

  /** The group's committed offsets of one topic, with their commit metadata. */
  private async committedOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string; metadata: string | null }[]> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return entry?.partitions ?? [];
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  reader(topic: string): BusTopicReader {
    // A group of its own that never commits: every start reads the topic from the beginning.
    const groupId = this.name(`caracal-reader-${randomBytes(8).toString('hex')}`);
    const reader = new KafkaTopicReader(this.kafka, this.name(topic), groupId, this.options.logger, () => this.readers.delete(reader));
    this.readers.add(reader);
    return reader;
  }

  async ping(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BusError(`Kafka at ${this.options.brokers.join(',')} did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([
        (async () => {
          if (!this.pingAdmin) {
            // No retries: the probe asks again in a few seconds, and a stuck retry loop would outlive it.
            const admin = this.kafka.admin({ retry: { retries: 0 } });
            this.pingAdmin = admin.connect().then(() => admin);
            this.pingAdmin.catch(() => (this.pingAdmin = undefined));
          }
          await (await this.pingAdmin).describeCluster();
        })(),
        timeout,
      ]);
    } catch (err) {
      if (err instanceof BusError) throw err;
      throw new BusError(`Kafka at ${this.options.brokers.join(',')} is unreachable`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const pingAdmin = this.pingAdmin;
    this.pingAdmin = undefined;
    await pingAdmin?.then((a) => a.disconnect()).catch(() => undefined);
    await Promise.all([...this.readers].map((r) => r.stop()));
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await Promise.all([...this.producers].map((p) => p.disconnect()));
    this.producers.clear();
  }
}

type CommittedOffsets = (topic: string) => Promise<{ partition: number; offset: string; metadata: string | null }[]>;

class KafkaBusConsumer implements BusConsumer {
  private running = false;
  private generation = 0;
  /**
   * Batches begun and not committed, by "topic:partition": those this
   * consumer began (a failed handler is retried in place), and those read
   * from the group's commit metadata (begun by a process that died).
   */
  private readonly begun = new Map<string, { first: bigint; last: bigint }>();
  /** Topics whose commit metadata was read in the current generation. */
  private metadataRead = new Map<string, Promise<void>>();

  private consumer: Consumer;
  private crashed = false;

  constructor(
    private readonly createConsumer: () => Consumer,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    private readonly prefixLength: number,
    private readonly onStop: () => void,
    private readonly committedOffsets: CommittedOffsets,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.consumer = createConsumer();
  }

  isRunning(): boolean {
    return this.running && !this.crashed;
  }

  async run(handler: BatchHandler): Promise<void> {
    const consumer = this.consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      // kafkajs restarts after most errors. After one it will not restart from (a commit refused
      // because the group moved on while a long batch ran, say) the consumer is dead while the
      // process lives on: start a new one in the same group.
      if (event.payload.restart || !this.running || consumer !== this.consumer) return;
      this.crashed = true;
      this.logger.error({ groupId: this.options.groupId, err: event.payload.error }, 'consumer stopped for good; starting a new one');
      void this.revive(handler);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.generation++;
      // Another member may have begun a batch of a partition this one now owns.
      this.metadataRead.clear();
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    this.running = true;
    const maxBatch = this.options.maxBatchMessages ?? 1000;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrentPartitions ?? 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary }) => {
        // consumer.commitOffsets is a silent no-op once stop() has begun, which would leave the
        // batch a graceful stop lets finish uncommitted; the batch's own commit has no such check.
        const commit = (offset: string, metadata: string | null) =>
          commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset, metadata } as { partition: number; offset: string }] }] });
        const messages = batch.messages;
        const topic = batch.topic.slice(this.prefixLength);
        const key = `${batch.topic}:${batch.partition}`;
        // Before a batch (or, when one is split, each message) is handed out: the position stays
        // where it is, only the metadata says where it ends, so a crash replays exactly these messages.
        const begin = async (first: string, last: string) => {
          if (!this.options.stableBatches) return;
          await commit(first, BATCH_END_MARK + last);
          this.begun.set(key, { first: BigInt(first), last: BigInt(last) });
        };
        let i = 0;
        while (i < messages.length && isRunning() && !isStale()) {
          const end = this.options.stableBatches ? await this.stableEnd(batch.topic, batch.partition, messages, i, maxBatch) : Math.min(i + maxBatch, messages.length);
          const slice = messages.slice(i, end).map(toConsumed);
          await begin(slice[0].offset, slice[slice.length - 1].offset);
          // kafkajs heartbeats only when asked; a handler that runs past the session timeout (a
          // rules-worker starting interpreters for many tenants) would otherwise be taken for dead.
          const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_WHILE_HANDLING_MS);
          let done: boolean;
          try {
            done = await runSlice(
              slice,
              {
                handle: (part: ConsumedMessage[]) =>
                  handler({ topic, partition: batch.partition, generation: this.generation, highWatermark: batch.highWatermark, messages: part }),
                begin: (part) => begin(part[0].offset, part[part.length - 1].offset),
                // Resolved and committed only now, after the handler's output is durable;
                // an unresolved offset is fetched again.
                commit: async (part) => {
                  const last = part[part.length - 1].offset;
                  resolveOffset(last);
                  await commit((BigInt(last) + 1n).toString(), null);
                  this.begun.delete(key);
                },
                deadLetter: (message, error, attempts) => this.deadLetters.send(message, { topic, partition: batch.partition, error, attempts }),
                active: () => isRunning() && !isStale(),
                wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
                onRetry: (error, attempt) => this.deadLetters.logRetry(error, { topic, partition: batch.partition, attempt }),
              },
              this.deadLetters.policy,
            );
          } finally {
            clearInterval(beat);
          }
          if (!done) return;
          await heartbeat();
          i = end;
        }
      },
    });
    this.logger.debug({ groupId: this.options.groupId, topics: this.options.topics }, 'consumer running');
  }

  /** Index after the last message of the batch that starts at messages[start]. */
  private async stableEnd(topic: string, partition: number, messages: KafkaMessage[], start: number, maxBatch: number): Promise<number> {
    await this.readCommitMetadata(topic);
    const begun = this.begun.get(`${topic}:${partition}`);
    const first = BigInt(messages[start].offset);
    if (!begun || begun.first !== first) return Math.min(start + maxBatch, messages.length);
    let end = start;
    while (end < messages.length && BigInt(messages[end].offset) <= begun.last) end++;
    if (BigInt(messages[end - 1].offset) !== begun.last) {
      // The fetch stopped short of where the interrupted batch ended (a smaller fetch size than
      // before): this batch differs from the first attempt, and its rows may be written twice.
      this.logger.warn({ topic, partition, first: begun.first.toString(), last: begun.last.toString(), got: messages[end - 1].offset }, 'replayed batch is shorter than the interrupted one');
    }
    return end;
  }

  private readCommitMetadata(topic: string): Promise<void> {
    let read = this.metadataRead.get(topic);
    if (!read) {
      read = this.committedOffsets(topic).then((entries) => {
        for (const e of entries) {
          if (!e.metadata?.startsWith(BATCH_END_MARK)) continue;
          this.begun.set(`${topic}:${e.partition}`, { first: BigInt(e.offset), last: BigInt(e.metadata.slice(BATCH_END_MARK.length)) });
        }
      });
      // A failed read is tried again with the next batch instead of being remembered.
      read.catch(() => this.metadataRead.delete(topic));
      this.metadataRead.set(topic, read);
    }
    return read;
  }

  private async revive(handler: BatchHandler): Promise<void> {
    for (let attempt = 0; this.running; attempt++) {
      await this.consumer.disconnect().catch(() => undefined);
      if (!this.running) return;
      this.consumer = this.createConsumer();
      this.begun.clear();
      this.metadataRead.clear();
      try {
        await this.run(handler);
        this.crashed = false;
        return;
      } catch (err) {
        this.logger.warn({ err, groupId: this.options.groupId, attempt }, 'consumer could not start again; retrying');
        await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** attempt, 30_000)));
      }
    }
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
        handler(batch.partition, batch.messages.map(toConsumed));
        this.positions.set(batch.partition, BigInt(batch.messages[batch.messages.length - 1].offset) + 1n);
      },
    });
  }

  async caughtUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ends: { partition: number; high: string; low: string }[] | undefined;
    // Right after the topic is created its partitions may have no leader yet, and the broker
    // answers "not the leader" for a while: ask again until the deadline.
    for (let attempt = 0; !ends; attempt++) {
      try {
        if (!this.admin) {
          this.admin = this.kafka.admin();
          await this.admin.connect();
        }
        ends = await this.admin.fetchTopicOffsets(this.topic);
      } catch (err) {
        if (this.stopped || Date.now() > deadline) throw new BusError(`cannot read the end offsets of ${this.topic}`, { cause: err });
        this.logger.debug({ err, topic: this.topic, attempt }, 'end offsets not readable yet; asking again');
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
      }
    }
    const known = ends;
    const behind = () =>
      known.filter((e) => BigInt(e.high) > BigInt(e.low) && (this.positions.get(e.partition) ?? -1n) < BigInt(e.high)).map((e) => e.partition);
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
