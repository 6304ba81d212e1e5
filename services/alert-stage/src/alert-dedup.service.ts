import { Inject, Injectable, Optional } from '@nestjs/common';
import { ALERT_EVENTS, ALERTS, type ConsumedBatch, ContractConsumer, type ConsumerSubscription, decodeMessage, type MessageBus, publish, RULE_ERRORS, RULE_MATCHES } from '@caracal/bus';
import { CONFIG, CaracalConfig, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import type { RuleError, RuleMatch } from '@caracal/core/messages';
import { CaracalMetrics, parseTraceparent, TRACEPARENT_HEADER, TraceContext, Tracing, TRACING } from '@caracal/core/observability';
import { dedupOutputs, RuleOutput } from './alert-dedup';
import { AlertStateStore } from './alert-state.store';
import { ruleOutputFill } from './rule-output-fill';

export const ALERT_STAGE_GROUP = 'caracal-alert-stage';
const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * Turns rule matches and rule errors into alerts. The topics are keyed by
 * dedup key, so each key has one owner at a time and its outputs arrive in
 * order. For each batch the matched events go out first and the alerts
 * second; the offsets are committed last. A crash anywhere in between replays
 * the batch, which yields the same rows (dropped as copies by the lake) or
 * finds its outputs already counted in the published alerts.
 */
@Injectable()
export class AlertDedupService extends ContractConsumer<RuleMatch | RuleError> {
  private state: AlertStateStore | undefined;
  private generation = -1;

  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(METRICS) private readonly metrics?: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {
    super(bus);
  }

  protected subscription(): ConsumerSubscription<RuleMatch | RuleError> {
    return {
      groupId: ALERT_STAGE_GROUP,
      consumes: [RULE_MATCHES, RULE_ERRORS],
      produces: [ALERT_EVENTS, ALERTS],
      maxBatchMessages: this.config.batch.maxEvents,
      batchFill: ruleOutputFill(this.config),
    };
  }

  protected override async beforeConsume(): Promise<void> {
    this.state = new AlertStateStore(this.bus.reader(ALERTS.name), this.logger);
    await this.state.start(CATCH_UP_TIMEOUT_MS);
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const state = this.state!;
    if (batch.generation !== this.generation) {
      // Partitions may have moved here from another instance: read what it published before deciding anything.
      await state.caughtUp(CATCH_UP_TIMEOUT_MS);
      this.generation = batch.generation;
    }
    const outputs: RuleOutput[] = [];
    // Messages are keyed by dedup key: the latest trace of each key is the one its alert update carries on.
    const traceByKey = new Map<string, string>();
    for (const m of batch.messages) {
      const traceparent = m.headers?.[TRACEPARENT_HEADER];
      if (m.key !== null && traceparent) traceByKey.set(m.key, traceparent);
      // A message that is not a rule output fails the batch before anything is published; the bus
      // sets it aside on the dead-letter topic after bounded attempts, rather than it being lost.
      outputs.push(batch.topic === RULE_ERRORS.name ? { kind: 'error', error: decodeMessage(RULE_ERRORS, m) } : { kind: 'match', match: decodeMessage(RULE_MATCHES, m) });
    }
    const span = this.tracing?.startSpan('alerts dedup', {
      kind: 'consumer',
      links: [...traceByKey.values()].map(parseTraceparent).filter((t): t is TraceContext => t !== undefined),
      attributes: { 'messaging.destination.name': batch.topic, 'caracal.outputs': outputs.length },
    });
    try {
      const result = dedupOutputs(outputs, (key) => state.get(key));
      await publish(this.producer, ALERT_EVENTS, result.events);
      await publish(this.producer, ALERTS, result.alerts, (a) => {
        const traceparent = traceByKey.get(a.dedupKey);
        return traceparent ? { [TRACEPARENT_HEADER]: traceparent } : undefined;
      });
      for (const a of result.alerts) {
        state.apply(a);
        // The one version that reached the threshold: an alert is raised once, its updates are not new alerts.
        if (a.thresholdReachedVersion !== null && a.version === a.thresholdReachedVersion) {
          this.metrics?.alertsRaised.inc({ tenant: a.tenantId, rule_id: a.ruleId, severity: a.severity });
          this.logger.info(
            { tenantId: a.tenantId, alertId: a.alertId, ruleId: a.ruleId, severity: a.severity, traceId: parseTraceparent(traceByKey.get(a.dedupKey))?.traceId },
            'alert raised',
          );
        }
      }
      if (result.replays > 0) this.logger.info({ topic: batch.topic, partition: batch.partition, replays: result.replays }, 'replayed rule outputs dropped');
    } catch (err) {
      span?.fail(err);
      throw err;
    } finally {
      span?.end();
    }
    state.evictIdle(Date.now());
  }

  protected override async afterStop(): Promise<void> {
    await this.state?.stop();
  }
}
