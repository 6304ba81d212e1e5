import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { BusConsumer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CaracalError, CONFIG, CaracalConfig, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { decodeAlertDeliveryRecord, decodeAlertEventRecord, decodeAlertRecord, MessageDecodeError, Topics } from '@caracal/core/messages';
import { CaracalMetrics, Tracing, TRACING } from '@caracal/core/observability';
import { ALERT_DELIVERIES_TABLE, ALERTS_TABLE, alertDeliveryRow, alertRow, LakeClient, schemaForLogType } from '@caracal/lake';
import { RowRoute, writeBatch } from './lake-insert';

export const ALERT_WRITER_GROUP = 'caracal-clickhouse-writer-alerts';

/** What the alert stage publishes, into the lake: matched and errored events, alerts, deliveries. */
@Injectable()
export class AlertWriterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BusConsumer | undefined;
  private readonly routes: Record<string, RowRoute>;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {
    this.routes = {
      [Topics.alertEvents]: (message) => {
        const e = decodeAlertEventRecord(message.value);
        const schema = schemaForLogType(e.logType);
        // Set aside on the dead-letter topic rather than skipped: it has no table to go to.
        if (!schema) throw new MessageDecodeError('alert event record', `logType ${JSON.stringify(e.logType)} has no table`);
        const database = e.kind === 'match' ? 'panther_rule_matches' : 'panther_rule_errors';
        return { table: `${database}.${schema.table}`, row: e.row };
      },
      // An empty value is a compaction tombstone: nothing to write.
      [Topics.alerts]: (message) => (message.value.length === 0 ? undefined : { table: ALERTS_TABLE, row: alertRow(decodeAlertRecord(message.value)) }),
      [Topics.alertDeliveries]: (message) => ({ table: ALERT_DELIVERIES_TABLE, row: alertDeliveryRow(decodeAlertDeliveryRecord(message.value)) }),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([Topics.alertEvents, Topics.alertDeliveries]);
    await this.bus.ensureTopics([Topics.alerts], { compacted: true });
    this.consumer = this.bus.consumer({
      groupId: ALERT_WRITER_GROUP,
      topics: Object.keys(this.routes),
      maxBatchMessages: this.config.batch.maxEvents,
      stableBatches: true,
    });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const route = this.routes[batch.topic];
    if (!route) throw new CaracalError('INTERNAL', `no table for topic ${batch.topic}`);
    await writeBatch(this.lake, batch, route, {
      metrics: this.metrics,
      tracing: this.tracing,
      // Rules' titles, contexts and errors come from Python, whose strings may hold lone surrogates.
      onRepaired: (table, strings) => this.logger.warn({ table, strings, topic: batch.topic, partition: batch.partition }, 'lone surrogates in alert rows replaced before the insert'),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
