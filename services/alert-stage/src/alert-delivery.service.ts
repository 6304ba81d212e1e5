import { Inject, Injectable } from '@nestjs/common';
import { ALERT_DELIVERIES, ALERTS, type ConsumedBatch, ContractConsumer, type ConsumerSubscription, decodeMessage, isTombstone, type MessageBus, publish } from '@caracal/bus';
import { CaracalConfig, CONFIG, CONTROL_STORE, LOGGER, Logger, MESSAGE_BUS } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { AlertDeliveryRecord, AlertRecord, toClickHouseTime } from '@caracal/core/messages';
import { deliverAlert, DeliveryOptions } from './destinations/destination-sender';
import { routeAlert } from './destinations/destination-router';
import { RecentAlertIds } from './destinations/recent-alert-ids';
import { ruleOutputFill } from './rule-output-fill';

export const ALERT_DELIVERY_GROUP = 'caracal-alert-delivery';
/** Alerts of one batch delivered at the same time; each fans out to at most 10 destinations. */
const CONCURRENT_ALERTS = 16;

/**
 * Delivers each alert once, when its event count reaches the threshold, to
 * the destinations it routes to, and publishes one delivery record per
 * destination. The batch's offsets are committed only after the records are
 * published, so a crash delivers again rather than loses a delivery; the
 * delivery id header lets receivers drop the repeat.
 */
@Injectable()
export class AlertDeliveryService extends ContractConsumer<AlertRecord> {
  private readonly handled = new RecentAlertIds(10_000);
  private readonly shuttingDown = new AbortController();

  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
  ) {
    super(bus);
  }

  protected subscription(): ConsumerSubscription<AlertRecord> {
    return { groupId: ALERT_DELIVERY_GROUP, consumes: [ALERTS], produces: [ALERT_DELIVERIES], batchFill: ruleOutputFill(this.config) };
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const due = this.dueAlerts(batch);
    if (due.length === 0) return;
    const records = (await mapLimited(due, CONCURRENT_ALERTS, (alert) => this.deliver(alert))).flat();
    await publish(this.producer, ALERT_DELIVERIES, records);
    for (const alert of due) this.handled.add(alert.alertId);
    const failed = records.filter((r) => r.outcome !== 'DELIVERED').length;
    this.logger.info({ alerts: due.length, deliveries: records.length, failed }, 'alerts delivered');
  }

  /** The records of a batch that reached their threshold and were not handled yet, each alert once. */
  private dueAlerts(batch: ConsumedBatch): AlertRecord[] {
    const due: AlertRecord[] = [];
    const inBatch = new Set<string>();
    for (const m of batch.messages) {
      if (isTombstone(ALERTS, m)) continue;
      // Every record is decoded before any is delivered: one that is not an alert fails the batch,
      // and the bus sets it aside on the dead-letter topic instead of it holding up those behind it.
      const alert = decodeMessage(ALERTS, m);
      if (alert.thresholdReachedVersion === null || alert.version !== alert.thresholdReachedVersion) continue;
      if (this.handled.has(alert.alertId) || inBatch.has(alert.alertId)) continue;
      inBatch.add(alert.alertId);
      due.push(alert);
    }
    return due;
  }

  private async deliver(alert: AlertRecord): Promise<AlertDeliveryRecord[]> {
    const { targets, unknown } = routeAlert(alert, this.control.destinationsOf(alert.tenantId));
    const options: DeliveryOptions = {
      timeoutMs: this.config.alerts.deliveryTimeoutMs,
      maxAttempts: this.config.alerts.deliveryMaxAttempts,
      backoffMs: this.config.alerts.deliveryBackoffMs,
      allowPrivateNetworks: this.config.alerts.allowPrivateNetworkDestinations,
      signal: this.shuttingDown.signal,
    };
    const delivered = await Promise.all(targets.map((d) => deliverAlert(d, alert, options)));
    const missing = unknown.map(
      (name): AlertDeliveryRecord => ({
        tenantId: alert.tenantId,
        alertId: alert.alertId,
        destinationId: name,
        destinationType: '',
        outcome: 'FAILED',
        attempts: 0,
        httpStatus: 0,
        error: `no destination "${name}" for tenant ${alert.tenantId}`,
        attemptedAt: toClickHouseTime(new Date()),
      }),
    );
    const records = [...delivered, ...missing];
    for (const r of records) {
      if (r.outcome === 'FAILED') {
        this.logger.warn({ tenantId: r.tenantId, alertId: r.alertId, destinationId: r.destinationId, attempts: r.attempts }, `alert delivery failed: ${r.error}`);
      }
    }
    return records;
  }

  override async onApplicationShutdown(): Promise<void> {
    // Cuts retries short; the interrupted batch is not committed and is delivered after the restart.
    this.shuttingDown.abort();
    await super.onApplicationShutdown();
  }
}

/** `fn` over `items`, at most `limit` at a time, results in the order of `items`. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
