import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ConsumedBatch, ContractConsumer, type ConsumerSubscription, decodeMessage, eventsTopic, type MessageBus } from '@caracal/bus';
import { CaracalConfig, CONFIG, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { supportedLogTypes } from '@caracal/core/log-schemas';
import { MessageDecodeError, NormalizedEvent } from '@caracal/core/messages';
import { CaracalMetrics, TRACING, Tracing } from '@caracal/core/observability';
import { LakeClient, schemaForLogType } from '@caracal/lake';
import { writeBatch } from './lake-insert';
import { lakeBatching } from './lake-batching';

export const EVENT_WRITER_GROUP = 'caracal-clickhouse-writer-logs';

/** Normalized events into panther_logs.<log type>. */
@Injectable()
export class EventWriterService extends ContractConsumer<NormalizedEvent> {
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

  protected subscription(): ConsumerSubscription<NormalizedEvent> {
    return { groupId: EVENT_WRITER_GROUP, consumes: supportedLogTypes().map(eventsTopic), ...lakeBatching(this.config), stableBatches: true };
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const rows = await writeBatch(this.lake, batch, (message) => {
      const event = decodeMessage(this.contractOf(batch), message);
      const schema = schemaForLogType(event.p_log_type);
      // Ingest only publishes log types it can parse; anything else is a bug upstream, set aside
      // on the dead-letter topic rather than skipped.
      if (!schema) throw new MessageDecodeError('normalized event', `p_log_type ${JSON.stringify(event.p_log_type)} has no table`);
      // The row is the message parsed and checked, nothing added: its bytes go to the lake as they came.
      return { table: `panther_logs.${schema.table}`, row: event, verbatim: true };
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
}
