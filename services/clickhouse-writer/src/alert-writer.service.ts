import { Inject, Injectable, Optional } from '@nestjs/common';
import { ALERT_DELIVERIES, ALERT_EVENTS, ALERTS, type ConsumedBatch, ContractConsumer, type ConsumerSubscription, decodeMessage, isTombstone, type MessageBus } from '@caracal/bus';
import { CaracalConfig, CaracalError, CONFIG, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { MessageDecodeError } from '@caracal/core/messages';
import { CaracalMetrics, TRACING, Tracing } from '@caracal/core/observability';
import { ALERT_DELIVERIES_TABLE, ALERTS_TABLE, alertDeliveryRow, alertRow, LakeClient, ruleOutputTable } from '@caracal/lake';
import { RowRoute, writeBatch } from './lake-insert';
import { lakeBatching } from './lake-batching';

export const ALERT_WRITER_GROUP = 'caracal-clickhouse-writer-alerts';

/** What the alert stage publishes, into the lake: matched and errored events, alerts, deliveries. */
@Injectable()
export class AlertWriterService extends ContractConsumer {
  private readonly routes: Record<string, RowRoute>;

  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {
    super(bus);
    this.routes = {
      [ALERT_EVENTS.name]: (message) => {
        const e = decodeMessage(ALERT_EVENTS, message);
        const table = ruleOutputTable(e.logType);
        // Set aside on the dead-letter topic rather than skipped: it has no table to go to.
        if (!table) throw new MessageDecodeError('alert event record', `logType ${JSON.stringify(e.logType)} has no table`);
        const database = e.kind === 'match' ? 'panther_rule_matches' : 'panther_rule_errors';
        return { table: `${database}.${table}`, row: e.row };
      },
      [ALERTS.name]: (message) => (isTombstone(ALERTS, message) ? undefined : { table: ALERTS_TABLE, row: alertRow(decodeMessage(ALERTS, message)) }),
      [ALERT_DELIVERIES.name]: (message) => ({ table: ALERT_DELIVERIES_TABLE, row: alertDeliveryRow(decodeMessage(ALERT_DELIVERIES, message)) }),
    };
  }

  protected subscription(): ConsumerSubscription {
    return {
      groupId: ALERT_WRITER_GROUP,
      consumes: [ALERT_EVENTS, ALERTS, ALERT_DELIVERIES],
      ...lakeBatching(this.config),
      stableBatches: true,
    };
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
}
