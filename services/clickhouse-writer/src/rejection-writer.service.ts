import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ConsumedBatch, ContractConsumer, type ConsumerSubscription, decodeMessage, INGEST_REJECTIONS, type MessageBus } from '@caracal/bus';
import { CaracalConfig, CONFIG, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import type { IngestRejection } from '@caracal/core/messages';
import { CaracalMetrics, TRACING, Tracing } from '@caracal/core/observability';
import { INGEST_REJECTIONS_TABLE, LakeClient } from '@caracal/lake';
import { writeBatch } from './lake-insert';
import { lakeBatching } from './lake-batching';

export const REJECTION_WRITER_GROUP = 'caracal-clickhouse-writer-rejections';

/** The ingest dead-letter topic into panther_monitor.ingest_rejections, where tenants query what ingest refused. */
@Injectable()
export class RejectionWriterService extends ContractConsumer<IngestRejection> {
  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {
    super(bus);
  }

  protected subscription(): ConsumerSubscription<IngestRejection> {
    return { groupId: REJECTION_WRITER_GROUP, consumes: [INGEST_REJECTIONS], ...lakeBatching(this.config), stableBatches: true };
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const rows = await writeBatch(
      this.lake,
      batch,
      (message) => ({ table: INGEST_REJECTIONS_TABLE, row: decodeMessage(INGEST_REJECTIONS, message) as unknown as Record<string, unknown> }),
      { metrics: this.metrics, tracing: this.tracing },
    );
    this.logger.debug({ topic: batch.topic, rows }, 'ingest rejections written');
  }
}
