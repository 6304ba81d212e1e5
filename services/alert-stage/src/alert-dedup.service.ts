import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { BusConsumer, BusProducer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CONFIG, CaracalConfig, LOGGER, Logger, MESSAGE_BUS, METRICS } from '@caracal/core';
import { decodeRuleError, decodeRuleMatch, Topics } from '@caracal/core/messages';
import { CaracalMetrics, parseTraceparent, TRACEPARENT_HEADER, TraceContext, Tracing, TRACING } from '@caracal/core/observability';
import { dedupOutputs, RuleOutput } from './alert-dedup';
import { AlertStateStore } from './alert-state.store';

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
export class AlertDedupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BusConsumer | undefined;
  private producer: BusProducer | undefined;
  private state: AlertStateStore | undefined;
  private generation = -1;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(METRICS) private readonly metrics?: CaracalMetrics,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([Topics.ruleMatches, Topics.ruleErrors, Topics.alertEvents]);
    await this.bus.ensureTopics([Topics.alerts], { compacted: true });
    this.producer = await this.bus.producer();
    this.state = new AlertStateStore(this.bus.reader(Topics.alerts), this.logger);
    await this.state.start(CATCH_UP_TIMEOUT_MS);
    this.consumer = this.bus.consumer({
      groupId: ALERT_STAGE_GROUP,
      topics: [Topics.ruleMatches, Topics.ruleErrors],
      maxBatchMessages: this.config.batch.maxEvents,
    });
    await this.consumer.run((batch) => this.handle(batch));
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
      outputs.push(batch.topic === Topics.ruleErrors ? { kind: 'error', error: decodeRuleError(m.value) } : { kind: 'match', match: decodeRuleMatch(m.value) });
    }
    const span = this.tracing?.startSpan('alerts dedup', {
      kind: 'consumer',
      links: [...traceByKey.values()].map(parseTraceparent).filter((t): t is TraceContext => t !== undefined),
      attributes: { 'messaging.destination.name': batch.topic, 'caracal.outputs': outputs.length },
    });
    try {
      const result = dedupOutputs(outputs, (key) => state.get(key));
      await this.producer!.send(
        Topics.alertEvents,
        result.events.map((e) => ({ key: `${String(e.row.p_tenant_id)}|${String(e.row.p_alert_id)}`, value: JSON.stringify(e) })),
      );
      await this.producer!.send(
        Topics.alerts,
        result.alerts.map((a) => {
          const traceparent = traceByKey.get(a.dedupKey);
          return { key: a.dedupKey, value: JSON.stringify(a), headers: traceparent ? { [TRACEPARENT_HEADER]: traceparent } : undefined };
        }),
      );
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

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.state?.stop();
  }
}
