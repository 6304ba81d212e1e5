import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ConsumedBatch, ContractConsumer, type ConsumerSubscription, decodeMessage, encodeMessage, eventsTopic, type MessageBus, RULE_ERRORS, RULE_MATCHES, SCHEDULED_ROWS, sendEncoded } from '@caracal/bus';
import { CONFIG, CaracalConfig, LOGGER, Logger, MESSAGE_BUS, METRICS, READINESS } from '@caracal/core';
import { supportedLogTypes } from '@caracal/core/log-schemas';
import { NormalizedEvent, RuleError, RuleMatch, RuleSettings } from '@caracal/core/messages';
import { CaracalMetrics, parseTraceparent, ReadinessRegistry, TRACEPARENT_HEADER, TraceContext, Tracing, TRACING } from '@caracal/core/observability';
import { buildRuleError, buildRuleMatch, type DetectionEngine, joinEncodedEvents, ruleSettings, type RuleSpec } from '@caracal/detections';
import { DetectionCatalogService } from './detection-catalog.service';
import { DETECTION_ENGINE } from './detection-engine.provider';
import { traceHeaders } from './trace-headers';
import { SEEN_EVENTS } from './seen-events.provider';
import { SeenEventsStore, seenEventKey, sourcePosition } from './seen-events.store';

export const RULES_WORKER_GROUP = 'caracal-rules-worker';

/**
 * Consumes normalized events, evaluates each tenant's events in one call into
 * that tenant's interpreter, and publishes what matched and what raised. The
 * batch's offsets are committed by the bus only after that is acknowledged;
 * a batch replayed after a crash carries the same source offsets, which is
 * how the alert stage recognises outputs it has already counted. The same
 * event published twice (other offsets, same row id) is evaluated once: see
 * SeenEventsStore.
 */
@Injectable()
export class RulesConsumerService extends ContractConsumer<NormalizedEvent> {
  /** Per rule list of the engine (one per content, kept while a tenant runs it): its settings by RuleID. */
  private readonly settingsByRules = new WeakMap<readonly RuleSpec[], Map<string, RuleSettings>>();
  private engineClosed = false;

  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(DETECTION_ENGINE) private readonly engine: DetectionEngine,
    @Inject(DetectionCatalogService) private readonly catalog: DetectionCatalogService,
    @Inject(SEEN_EVENTS) private readonly seen: SeenEventsStore,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(METRICS) private readonly metrics?: CaracalMetrics,
    @Optional() @Inject(READINESS) private readonly readiness?: ReadinessRegistry,
    @Optional() @Inject(TRACING) private readonly tracing?: Tracing,
  ) {
    super(bus);
  }

  protected subscription(): ConsumerSubscription<NormalizedEvent> {
    return {
      groupId: RULES_WORKER_GROUP,
      // Scheduled query rows are events of their queries' log types: the same evaluation, by the scheduled rules.
      consumes: [...supportedLogTypes().map(eventsTopic), SCHEDULED_ROWS],
      produces: [RULE_MATCHES, RULE_ERRORS],
      maxBatchMessages: this.config.batch.maxEvents,
      concurrentPartitions: this.config.batch.rulesConcurrentPartitions,
    };
  }

  protected override async beforeConsume(): Promise<void> {
    // Bootstrap hooks of one module run concurrently: without this, a restarted
    // worker would evaluate its first batches with the pack alone.
    await this.catalog.start();
    this.readiness?.set('rules', () => {
      if (this.engineClosed) throw new Error('the detection engine is closed');
    });
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const byTenant = new Map<string, { events: NormalizedEvent[]; values: Buffer[]; offsets: string[]; traces: (string | undefined)[] }>();
    // Every message is decoded before anything is claimed or evaluated: one that is not an event
    // fails the batch with a MessageDecodeError, and the bus sets it aside after bounded attempts.
    const contract = this.contractOf(batch);
    const parsed = batch.messages.map((m) => ({ m, event: decodeMessage(contract, m) }));
    // Before anything is evaluated, and a failure fails the batch (redelivered): never evaluated unchecked.
    const fresh = await this.seen.claim(
      parsed.map(({ m, event }) => ({ key: seenEventKey(event.p_tenant_id, event.p_row_id), position: sourcePosition(batch.topic, batch.partition, m.offset) })),
    );
    const duplicates = new Map<string, number>();
    for (const [i, { m, event }] of parsed.entries()) {
      if (!fresh[i]) {
        duplicates.set(event.p_tenant_id, (duplicates.get(event.p_tenant_id) ?? 0) + 1);
        this.logger.debug({ tenant: event.p_tenant_id, rowId: event.p_row_id, topic: batch.topic, partition: batch.partition, offset: m.offset }, 'duplicate event skipped');
        continue;
      }
      const group = byTenant.get(event.p_tenant_id) ?? { events: [], values: [], offsets: [], traces: [] };
      group.events.push(event);
      group.values.push(m.value);
      group.offsets.push(m.offset);
      group.traces.push(m.headers?.[TRACEPARENT_HEADER]);
      byTenant.set(event.p_tenant_id, group);
    }
    // An output carries the trace of the request its event came in with, on to the alert stage.
    const traceOf = new Map<RuleMatch | RuleError, string>();
    const matchedAtMs = Date.now();
    const matches: RuleMatch[] = [];
    const errors: RuleError[] = [];
    const ruleTimes: Record<string, number>[] = [];
    // Tenants run in processes of their own (decision 0013): evaluated side by side, so one
    // tenant's slow or broken content delays the batch by its own time, not by everyone's.
    // Outputs of one dedup key must reach the alert stage in source order (its replay check relies on it);
    // dedup keys are per tenant, so each tenant's outputs sorted by source offset keep that order.
    const bySource = (a: { source: { offset: string } }, b: { source: { offset: string } }) => {
      const d = BigInt(a.source.offset) - BigInt(b.source.offset);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    };
    // Tenants run in processes of their own (decision 0013): evaluated side by side, and each
    // tenant's outputs are published as soon as they exist, so one tenant's slow or broken content
    // delays its own alerts, not the others' in the batch. A replay after a failure republishes
    // them; the alert stage drops replays by source offset.
    await Promise.all(
      [...byTenant].map(async ([tenantId, { events, values, offsets, traces }]) => {
        // Read right before evaluate, which runs the content of the moment of its call: the two agree.
        const rules = this.settingsFor(tenantId);
        const span = this.tracing?.startSpan('rules evaluate', {
          kind: 'consumer',
          links: traces.map(parseTraceparent).filter((t): t is TraceContext => t !== undefined),
          attributes: { 'caracal.tenant_id': tenantId, 'caracal.events': events.length, 'messaging.destination.name': batch.topic },
        });
        let evaluated: Awaited<ReturnType<DetectionEngine['evaluateTimed']>>;
        try {
          // The messages' own bytes go to the interpreters: each was decoded (checked) above, and
          // encoding the decoded objects again would only give the same text.
          evaluated = await this.engine.evaluateEncodedTimed(tenantId, joinEncodedEvents(values));
        } catch (err) {
          span?.fail(err);
          throw err;
        } finally {
          span?.end();
        }
        const { outcomes, ruleSeconds } = evaluated;
        ruleTimes.push(ruleSeconds);
        const tenantMatches: RuleMatch[] = [];
        const tenantErrors: RuleError[] = [];
        for (const o of outcomes) {
          const rule = rules.get(o.ruleId);
          const event = events[o.eventIndex];
          if (!rule || !event) continue;
          const ctx = { rule, event, matchedAtMs, source: { topic: batch.topic, partition: batch.partition, offset: offsets[o.eventIndex] } };
          const trace = traces[o.eventIndex];
          if (o.kind === 'match') {
            const match = buildRuleMatch(o, ctx);
            tenantMatches.push(match);
            if (trace) traceOf.set(match, trace);
          } else {
            this.logger.warn({ tenantId, ruleId: o.ruleId, errorType: o.errorType, traceId: parseTraceparent(trace)?.traceId }, `rule raised: ${o.message}`);
            const error = buildRuleError(o, ctx);
            tenantErrors.push(error);
            if (trace) traceOf.set(error, trace);
          }
        }
        tenantMatches.sort(bySource);
        tenantErrors.sort(bySource);
        await Promise.all([
          sendEncoded(this.producer, RULE_MATCHES, tenantMatches.map((m) => encodeMessage(RULE_MATCHES, m, traceHeaders(traceOf.get(m))))),
          sendEncoded(this.producer, RULE_ERRORS, tenantErrors.map((e) => encodeMessage(RULE_ERRORS, e, traceHeaders(traceOf.get(e))))),
        ]);
        matches.push(...tenantMatches);
        errors.push(...tenantErrors);
      }),
    );
    // Counted once the outputs are durable, so a batch that fails and is redelivered counts once.
    this.countBatch(byTenant, ruleTimes, matches, errors);
    for (const [tenant, n] of duplicates) this.metrics?.rulesDuplicateEvents.inc({ tenant }, n);
    if (matches.length > 0 || errors.length > 0) {
      this.logger.info({ topic: batch.topic, events: batch.messages.length, duplicates: fresh.filter((f) => !f).length, matches: matches.length, ruleErrors: errors.length }, 'batch evaluated');
    }
  }

  private countBatch(byTenant: Map<string, { events: NormalizedEvent[] }>, ruleTimes: Record<string, number>[], matches: RuleMatch[], errors: RuleError[]): void {
    const metrics = this.metrics;
    if (!metrics) return;
    for (const [tenant, { events }] of byTenant) {
      const byLogType = new Map<string, number>();
      for (const e of events) byLogType.set(e.p_log_type, (byLogType.get(e.p_log_type) ?? 0) + 1);
      for (const [logType, n] of byLogType) metrics.rulesEventsEvaluated.inc({ tenant, log_type: logType }, n);
    }
    for (const seconds of ruleTimes) metrics.observeRuleTimes(seconds);
    for (const m of matches) metrics.ruleMatches.inc({ tenant: m.tenantId, rule_id: m.rule.ruleId });
    for (const e of errors) metrics.ruleErrors.inc({ tenant: e.tenantId, rule_id: e.rule.ruleId });
  }

  private settingsFor(tenantId: string): Map<string, RuleSettings> {
    const rules = this.engine.rulesFor(tenantId);
    let settings = this.settingsByRules.get(rules);
    if (!settings) {
      settings = new Map(rules.map((r) => [r.ruleId, ruleSettings(r)]));
      this.settingsByRules.set(rules, settings);
    }
    return settings;
  }

  protected override async afterStop(): Promise<void> {
    this.engineClosed = true;
    await this.engine.close();
    await this.seen.close();
  }
}
