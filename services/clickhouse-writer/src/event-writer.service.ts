import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { BusConsumer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CONFIG, CaracalConfig, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { supportedLogTypes } from '@caracal/core/log-schemas';
import { decodeNormalizedEvent, MessageDecodeError, Topics } from '@caracal/core/messages';
import { CaracalMetrics, Tracing, TRACING } from '@caracal/core/observability';
import { LakeClient, schemaForLogType } from '@caracal/lake';
import { writeBatch } from './lake-insert';

export const EVENT_WRITER_GROUP = 'caracal-clickhouse-writer-logs';

/** Normalized events into panther_logs.<log type>. */
@Injectable()
export class EventWriterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BusConsumer | undefined;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = supportedLogTypes().map((t) => Topics.logs(t));
    await this.bus.ensureTopics(topics);
    this.consumer = this.bus.consumer({ groupId: EVENT_WRITER_GROUP, topics, maxBatchMessages: this.config.batch.maxEvents, stableBatches: true });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const rows = await writeBatch(this.lake, batch, (message) => {
      const event = decodeNormalizedEvent(message.value);
      const schema = schemaForLogType(event.p_log_type);
      // Ingest only publishes log types it can parse; anything else is a bug upstream, set aside
      // on the dead-letter topic rather than skipped.
      if (!schema) throw new MessageDecodeError('normalized event', `p_log_type ${JSON.stringify(event.p_log_type)} has no table`);
      return { table: `panther_logs.${schema.table}`, row: event };
    }, {
      metrics: this.metrics,
      tracing: this.tracing,
      dropWrittenRows: true,
      onDropped: (table, copies) => this.logger.info({ table, copies, topic: batch.topic, partition: batch.partition }, 'events already in the lake not written again'),
      // Ingest repairs the events it takes in: text it did not repair came some other way.
      onRepaired: (table, strings) => this.logger.warn({ table, strings, topic: batch.topic, partition: batch.partition }, 'lone surrogates in events replaced before the insert'),
    });
    this.logger.debug({ topic: batch.topic, rows }, 'events written');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
