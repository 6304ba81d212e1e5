import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CONSUMER_DEAD_LETTERS, type MessageBus, OnDemandProducer, type OutgoingMessage } from '@caracal/bus';
import { CONFIG, CONTROL_STORE, CaracalConfig, describeError, LOGGER, Logger, MESSAGE_BUS } from '@caracal/core';
import { ControlStore, SourceRecord, sourceTransport } from '@caracal/core/control-plane';
import { IngestService } from '../ingest.service';
import { KafkaTopicSourceConsumer } from './kafka-topic-source.consumer';
import { LocalS3ProgressStore } from './local-s3-progress.store';
import type { PullSourceRunner } from './pull-source.runner';
import { RedisS3ProgressStore } from './redis-s3-progress.store';
import { createS3Client } from './s3-client.factory';
import type { S3ProgressStore } from './s3-progress.store';
import { S3SourcePuller } from './s3-source.puller';

// A Kafka message is at most a few MiB (the broker's message.max.bytes); this bounds one after gunzip.
const MAX_KAFKA_MESSAGE_BYTES = 64 * 1024 * 1024;
const KAFKA_BATCH_MESSAGES = 500;

/** What decides how a source is read: a change of any of it starts its reader again. */
function fingerprint(source: SourceRecord): string {
  return JSON.stringify([source.tenantId, source.label, source.logType, source.transport, source.s3, source.kafka]);
}

/**
 * Runs a reader for every pull source of every tenant (decision 0029), in
 * each ingest process: an S3 puller or a Kafka topic consumer. It looks at
 * the control store every CARACAL_PULL_SOURCES_SYNC_INTERVAL_MS, starting
 * readers for sources created since and stopping those of sources deleted.
 * Several ingest replicas each run every reader: S3 objects are claimed one
 * at a time in a shared store, and a Kafka source's replicas share its
 * consumer group, so each object and message is read by one of them.
 */
@Injectable()
export class PullSourcesManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners = new Map<string, { fingerprint: string; runner: PullSourceRunner }>();
  /** Sources whose settings this process cannot use, by the fingerprint refused: told once, not at every sync. */
  private readonly refused = new Map<string, string>();
  private readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly deadLetterProducer: OnDemandProducer;
  private store: Promise<S3ProgressStore> | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ingest: IngestService,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MESSAGE_BUS) bus: MessageBus,
  ) {
    this.deadLetterProducer = new OnDemandProducer(bus);
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /** Before the bus closes: each reader finishes what it is publishing and commits or abandons the rest. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await Promise.all([...this.runners.values()].map(({ runner }) => this.stopRunner(runner)));
    this.runners.clear();
    const store = this.store;
    this.store = undefined;
    await store?.then((s) => s.close()).catch(() => undefined);
  }

  /** The source ids being read now; for tests. */
  readingSources(): string[] {
    return [...this.runners.keys()];
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.sync();
      } catch (err) {
        // An unreadable control file is looked at again at the next sync; the readers running go on.
        this.logger.warn({ err: describeError(err) }, 'pull sources: cannot read the sources; trying again');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.config.pullSources.syncIntervalMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
        if (this.stopping) done();
      });
    }
  }

  private async sync(): Promise<void> {
    const wanted = new Map(this.control.pullSources().map((s) => [s.id, s]));
    for (const [id, { fingerprint: was, runner }] of this.runners) {
      const now = wanted.get(id);
      if (now && fingerprint(now) === was) continue;
      this.runners.delete(id);
      this.logger.info({ sourceId: id, tenantId: runner.source.tenantId }, now ? 'pull source changed; reading it anew' : 'pull source deleted; stopped reading it');
      await this.stopRunner(runner);
    }
    for (const id of this.refused.keys()) if (!wanted.has(id)) this.refused.delete(id);
    for (const [id, source] of wanted) {
      if (this.stopping || this.runners.has(id) || this.refused.get(id) === fingerprint(source)) continue;
      let runner: PullSourceRunner;
      try {
        runner = this.createRunner(source);
      } catch (err) {
        // Settings this process cannot use (an endpoint on a private network): told once, tried again when they change.
        this.refused.set(id, fingerprint(source));
        this.logger.warn({ sourceId: id, tenantId: source.tenantId, err: describeError(err) }, 'pull source cannot be read');
        continue;
      }
      this.runners.set(id, { fingerprint: fingerprint(source), runner });
      runner.start();
      this.logger.info({ sourceId: id, tenantId: source.tenantId, transport: sourceTransport(source), logType: source.logType }, 'pull source: reading');
    }
  }

  private createRunner(source: SourceRecord): PullSourceRunner {
    const pull = this.config.pullSources;
    if (sourceTransport(source) === 's3') {
      const client = createS3Client(source.s3!, { requestTimeoutMs: pull.s3RequestTimeoutMs, allowPrivateNetworks: pull.allowPrivateNetworks });
      return new S3SourcePuller(
        source,
        client,
        () => this.progressStore(),
        this.ingest,
        {
          pollIntervalMs: pull.s3PollIntervalMs,
          claimLeaseMs: pull.s3ClaimLeaseMs,
          maxObjectBytes: pull.s3MaxObjectBytes,
          publishBatchEvents: pull.publishBatchEvents,
          publishBatchBytes: this.config.ingest.maxBodyBytes,
          owner: `${this.owner}:${source.id}`,
        },
        this.logger,
      );
    }
    return new KafkaTopicSourceConsumer(
      source,
      this.ingest,
      {
        clientId: `${this.config.kafka.clientId}-source-${source.id}`,
        requestTimeoutMs: this.config.kafka.requestTimeoutMs,
        allowPrivateNetworks: pull.allowPrivateNetworks,
        maxMessageBytes: MAX_KAFKA_MESSAGE_BYTES,
        maxBatchMessages: KAFKA_BATCH_MESSAGES,
        deadLetters: (topic, messages) => this.publishDeadLetters(topic, messages),
      },
      this.logger,
    );
  }

  /**
   * The S3 sources' shared progress: Redis in kafka mode (every replica
   * reads and claims in the same place), a folder of the data dir in embedded
   * mode. Connected on first use; a failed connect is tried again at the next poll.
   */
  private progressStore(): Promise<S3ProgressStore> {
    this.store ??= (async (): Promise<S3ProgressStore> => {
      const redisUrl = this.config.cache.redisUrl;
      if (redisUrl === undefined) return new LocalS3ProgressStore(path.join(this.config.dataDir, 'pull-sources'));
      return RedisS3ProgressStore.connect(redisUrl, { namespace: this.config.kafka.topicPrefix, connectTimeoutMs: this.config.cache.connectTimeoutMs, logger: this.logger });
    })();
    this.store.catch(() => (this.store = undefined));
    return this.store;
  }

  private async publishDeadLetters(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (topic !== CONSUMER_DEAD_LETTERS.name) throw new Error(`kafka source: unexpected dead-letter topic ${topic}`);
    await this.deadLetterProducer.ensureTopic(CONSUMER_DEAD_LETTERS);
    await (await this.deadLetterProducer.connected()).send(topic, messages);
  }

  private async stopRunner(runner: PullSourceRunner): Promise<void> {
    await runner.stop().catch((err: unknown) => this.logger.warn({ sourceId: runner.source.id, err: describeError(err) }, 'pull source: the reader did not stop cleanly'));
  }
}
