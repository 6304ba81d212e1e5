import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { BusConsumer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { AlertDeliveryRecord, AlertEventRecord, AlertRecord, CaracalError, CONFIG, CaracalConfig, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, Topics, CaracalMetrics, METRICS, Tracing, TRACING } from '@caracal/core';
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
      [Topics.alertEvents]: (value) => {
        const e = value as AlertEventRecord;
        const schema = schemaForLogType(e.logType);
        if (!schema) {
          this.logger.error({ logType: e.logType, kind: e.kind }, 'alert event of unknown log type skipped');
          return undefined;
        }
        const database = e.kind === 'match' ? 'panther_rule_matches' : 'panther_rule_errors';
        return { table: `${database}.${schema.table}`, row: e.row };
      },
      [Topics.alerts]: (value) => ({ table: ALERTS_TABLE, row: alertRow(value as AlertRecord) }),
      [Topics.alertDeliveries]: (value) => ({ table: ALERT_DELIVERIES_TABLE, row: alertDeliveryRow(value as AlertDeliveryRecord) }),
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
    await writeBatch(this.lake, batch, route, { metrics: this.metrics, tracing: this.tracing });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
