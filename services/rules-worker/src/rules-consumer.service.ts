import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { BusConsumer, BusProducer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CONFIG, CaracalConfig, LOGGER, Logger, MESSAGE_BUS, NormalizedEvent, RuleError, RuleMatch, RuleSettings, supportedLogTypes, Topics } from '@caracal/core';
import type { DetectionEngine, RuleSpec } from '@caracal/detections';
import { DetectionCatalogService } from './detection-catalog.service';
import { DETECTION_ENGINE } from './detection-engine.provider';
import { buildRuleError, buildRuleMatch, ruleErrorMessage, ruleMatchMessage, ruleSettings } from './rule-output.builder';

export const RULES_WORKER_GROUP = 'caracal-rules-worker';

/**
 * Consumes normalized events, evaluates each tenant's events in one call into
 * that tenant's interpreter, and publishes what matched and what raised. The
 * batch's offsets are committed by the bus only after that is acknowledged;
 * a batch replayed after a crash carries the same source offsets, which is
 * how the alert stage recognises outputs it has already counted.
 */
@Injectable()
export class RulesConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BusConsumer | undefined;
  private producer: BusProducer | undefined;
  /** Per rule list of the engine (one per content, kept while a tenant runs it): its settings by RuleID. */
  private readonly settingsByRules = new WeakMap<readonly RuleSpec[], Map<string, RuleSettings>>();

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(DETECTION_ENGINE) private readonly engine: DetectionEngine,
    @Inject(DetectionCatalogService) private readonly catalog: DetectionCatalogService,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Bootstrap hooks of one module run concurrently: without this, a restarted
    // worker would evaluate its first batches with the pack alone.
    await this.catalog.start();
    const topics = supportedLogTypes().map((t) => Topics.logs(t));
    await this.bus.ensureTopics([...topics, Topics.ruleMatches, Topics.ruleErrors]);
    this.producer = await this.bus.producer();
    this.consumer = this.bus.consumer({ groupId: RULES_WORKER_GROUP, topics, maxBatchMessages: this.config.batch.maxEvents });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const byTenant = new Map<string, { events: NormalizedEvent[]; offsets: string[] }>();
    for (const m of batch.messages) {
      const event = JSON.parse(m.value.toString('utf8')) as NormalizedEvent;
      const group = byTenant.get(event.p_tenant_id) ?? { events: [], offsets: [] };
      group.events.push(event);
      group.offsets.push(m.offset);
      byTenant.set(event.p_tenant_id, group);
    }
    const matchedAtMs = Date.now();
    const matches: RuleMatch[] = [];
    const errors: RuleError[] = [];
    for (const [tenantId, { events, offsets }] of byTenant) {
      // Read right before evaluate, which runs the content of the moment of its call: the two agree.
      const rules = this.settingsFor(tenantId);
      const outcomes = await this.engine.evaluate(tenantId, events);
      for (const o of outcomes) {
        const rule = rules.get(o.ruleId);
        const event = events[o.eventIndex];
        if (!rule || !event) continue;
        const ctx = { rule, event, matchedAtMs, source: { topic: batch.topic, partition: batch.partition, offset: offsets[o.eventIndex] } };
        if (o.kind === 'match') {
          matches.push(buildRuleMatch(o, ctx));
        } else {
          this.logger.warn({ tenantId, ruleId: o.ruleId, errorType: o.errorType }, `rule raised: ${o.message}`);
          errors.push(buildRuleError(o, ctx));
        }
      }
    }
    // Outputs of one dedup key must reach the alert stage in source order
    // (its replay check relies on it); grouping by tenant above broke that order.
    const bySource = (a: { source: { offset: string } }, b: { source: { offset: string } }) => {
      const d = BigInt(a.source.offset) - BigInt(b.source.offset);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    };
    matches.sort(bySource);
    errors.sort(bySource);
    await Promise.all([
      this.producer!.send(Topics.ruleMatches, matches.map(ruleMatchMessage)),
      this.producer!.send(Topics.ruleErrors, errors.map(ruleErrorMessage)),
    ]);
    if (matches.length > 0 || errors.length > 0) {
      this.logger.info({ topic: batch.topic, events: batch.messages.length, matches: matches.length, ruleErrors: errors.length }, 'batch evaluated');
    }
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

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.engine.close();
  }
}
