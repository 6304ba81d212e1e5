import { type BusConsumer, type ConsumedBatch, type OutgoingMessage, type SourceClusterSettings, sourceTopicConsumer } from '@caracal/bus';
import { CaracalError, describeError, type Logger } from '@caracal/core';
import type { KafkaSourceSettings, SourceRecord } from '@caracal/core/control-plane';
import { UnreadableInputError } from '../ingest.errors';
import type { PulledRecord } from '../ingest.service';
import { readKafkaMessage } from './kafka-message.reader';
import { type PulledRecordSink, rejectedWhole } from './pulled-records.publisher';
import type { PullSourceRunner } from './pull-source.runner';

export interface KafkaTopicSourceOptions {
  clientId: string;
  requestTimeoutMs: number;
  allowPrivateNetworks: boolean;
  /** The largest message value read, after gzip decoding; a larger one is a rejection. */
  maxMessageBytes: number;
  /** Messages handed to one publish at most. */
  maxBatchMessages: number;
  /** Where a message that still fails as its own fault is set aside: Caracal's dead-letter topic. */
  deadLetters: (topic: string, messages: OutgoingMessage[]) => Promise<void>;
}

const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 60_000;

/** The consumer group of a Kafka source, on the customer's cluster: one per source, so that sources never share offsets. */
export function kafkaSourceGroupId(sourceId: string): string {
  return `caracal-source-${sourceId}`;
}

/**
 * Reads one Kafka source (decision 0029): the customer's topic, in the group
 * `caracal-source-<source id>`, from the earliest offset the first time. Each
 * batch's messages are read into events (a message is one event, NDJSON or a
 * JSON array of events) and published through ingest's one path; the batch's
 * offsets are committed only after the bus acknowledged them. A message that
 * holds nothing readable becomes one rejection and the consumer goes on. A
 * crash before the commit reads the batch again, and its events keep their
 * row ids.
 */
export class KafkaTopicSourceConsumer implements PullSourceRunner {
  private consumer: BusConsumer | undefined;
  private stopping = false;
  private starting: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly settings: KafkaSourceSettings;

  constructor(
    readonly source: SourceRecord,
    private readonly sink: PulledRecordSink,
    private readonly options: KafkaTopicSourceOptions,
    private readonly logger: Logger,
  ) {
    if (!source.kafka) throw new CaracalError('INTERNAL', `source "${source.id}" has no Kafka settings`);
    this.settings = source.kafka;
  }

  start(): void {
    this.starting ??= this.keepStarting();
  }

  /** Lets the batch in the handler finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.starting;
    await this.consumer?.stop().catch((err: unknown) => this.logger.warn({ sourceId: this.source.id, err: describeError(err) }, 'kafka source: the consumer did not stop cleanly'));
  }

  /** Connects and subscribes, again and again with a growing pause while the cluster cannot be reached. */
  private async keepStarting(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      const cluster: SourceClusterSettings = {
        brokers: this.settings.brokers,
        tls: this.settings.tls,
        ...(this.settings.sasl ? { sasl: this.settings.sasl } : {}),
        clientId: this.options.clientId,
        requestTimeoutMs: this.options.requestTimeoutMs,
        allowPrivateNetworks: this.options.allowPrivateNetworks,
      };
      const consumer = sourceTopicConsumer(cluster, { groupId: kafkaSourceGroupId(this.source.id), topic: this.settings.topic, maxBatchMessages: this.options.maxBatchMessages }, this.logger, this.options.deadLetters);
      this.consumer = consumer;
      try {
        await consumer.run((batch) => this.handle(batch));
        this.logger.info({ sourceId: this.source.id, topic: this.settings.topic, group: kafkaSourceGroupId(this.source.id) }, 'kafka source: reading');
        return;
      } catch (err) {
        await consumer.stop().catch(() => undefined);
        this.consumer = undefined;
        const waitMs = Math.min(FIRST_RESTART_MS * 2 ** attempt, MAX_RESTART_MS);
        this.logger.warn({ sourceId: this.source.id, brokers: this.settings.brokers, topic: this.settings.topic, waitMs, err: describeError(err) }, 'kafka source: cannot read the topic; trying again');
        await this.pause(waitMs);
      }
    }
  }

  /** One batch of one partition: every message's events and rejections in one publish, acknowledged before the commit. */
  private async handle(batch: ConsumedBatch): Promise<void> {
    const records: PulledRecord[] = [];
    for (const message of batch.messages) {
      const where = `kafka://${this.settings.topic}/${batch.partition}/${message.offset}`;
      try {
        const read = await readKafkaMessage(message.value, this.options.maxMessageBytes);
        read.forEach((r, index) =>
          records.push({ requestId: where, index, text: r.text, value: r.value, ...(r.problem === undefined ? {} : { problem: { field: '(line)', problem: r.problem } }) }),
        );
      } catch (err) {
        if (!(err instanceof UnreadableInputError)) throw err;
        records.push(rejectedWhole(where, message.value, '(message)', `${where}: ${err.message}`));
      }
    }
    if (records.length === 0) return;
    // A failure the bus reports is retriable: the adapter hands the batch over again, uncommitted.
    await this.sink.ingestPulled(this.source, records);
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
