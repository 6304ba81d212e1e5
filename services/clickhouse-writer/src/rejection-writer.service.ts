import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { BusConsumer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CONFIG, CaracalConfig, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { decodeIngestRejection, Topics } from '@caracal/core/messages';
import { CaracalMetrics, Tracing, TRACING } from '@caracal/core/observability';
import { INGEST_REJECTIONS_TABLE, LakeClient } from '@caracal/lake';
import { writeBatch } from './lake-insert';

export const REJECTION_WRITER_GROUP = 'caracal-clickhouse-writer-rejections';

/** The dead-letter topic into panther_monitor.ingest_rejections, where tenants query what ingest refused. */
@Injectable()
export class RejectionWriterService implements OnApplicationBootstrap, OnApplicationShutdown {
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
    await this.bus.ensureTopics([Topics.deadLetter]);
    this.consumer = this.bus.consumer({ groupId: REJECTION_WRITER_GROUP, topics: [Topics.deadLetter], maxBatchMessages: this.config.batch.maxEvents, stableBatches: true });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const rows = await writeBatch(
      this.lake,
      batch,
      (message) => ({ table: INGEST_REJECTIONS_TABLE, row: decodeIngestRejection(message.value) as unknown as Record<string, unknown> }),
      { metrics: this.metrics, tracing: this.tracing },
    );
    this.logger.debug({ topic: batch.topic, rows }, 'ingest rejections written');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
