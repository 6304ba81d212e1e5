import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { BusConsumer, BusProducer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CONFIG, CaracalConfig, LOGGER, Logger, MESSAGE_BUS, NormalizedEvent, RuleMatch, SUPPORTED_LOG_TYPES, Topics } from '@caracal/core';
import type { DetectionEngine, RuleOutcomeError, RuleSpec } from '@caracal/detections';
import { DETECTION_ENGINE } from './detection-engine.provider';
import { buildRuleMatch } from './rule-match.builder';

export const RULES_WORKER_GROUP = 'caracal-rules-worker';

export interface RuleErrorRecord {
  tenantId: string;
  ruleId: string;
  errorType: string;
  message: string;
  traceback: string;
  event: NormalizedEvent;
}

/**
 * Consumes normalized events, evaluates each tenant's events in one call into
 * that tenant's interpreter, and publishes what matched. The batch's offsets
 * are committed by the bus only after the matches are acknowledged.
 */
@Injectable()
export class RulesConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BusConsumer | undefined;
  private producer: BusProducer | undefined;
  private readonly rulesById: Map<string, RuleSpec>;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(DETECTION_ENGINE) private readonly engine: DetectionEngine,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.rulesById = new Map(engine.rules().map((r) => [r.ruleId, r]));
  }

  async onApplicationBootstrap(): Promise<void> {
    const topics = SUPPORTED_LOG_TYPES.map((t) => Topics.logs(t));
    await this.bus.ensureTopics([...topics, Topics.ruleMatches, Topics.ruleErrors]);
    this.producer = await this.bus.producer();
    this.consumer = this.bus.consumer({ groupId: RULES_WORKER_GROUP, topics, maxBatchMessages: this.config.batch.maxEvents });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const byTenant = new Map<string, NormalizedEvent[]>();
    for (const m of batch.messages) {
      const event = JSON.parse(m.value.toString('utf8')) as NormalizedEvent;
      const list = byTenant.get(event.p_tenant_id) ?? [];
      list.push(event);
      byTenant.set(event.p_tenant_id, list);
    }
    const matches: RuleMatch[] = [];
    const errors: RuleErrorRecord[] = [];
    for (const [tenantId, events] of byTenant) {
      const outcomes = await this.engine.evaluate(tenantId, events);
      for (const o of outcomes) {
        const rule = this.rulesById.get(o.ruleId);
        const event = events[o.eventIndex];
        if (!rule || !event) continue;
        if (o.kind === 'match') matches.push(buildRuleMatch(o, rule, event));
        else errors.push(this.ruleError(o, tenantId, event));
      }
    }
    await Promise.all([
      this.producer!.send(
        Topics.ruleMatches,
        matches.map((m) => ({ key: `${m.tenantId}|${m.ruleId}|${m.dedup}`, value: JSON.stringify(m) })),
      ),
      this.producer!.send(
        Topics.ruleErrors,
        errors.map((e) => ({ key: `${e.tenantId}|${e.ruleId}|error`, value: JSON.stringify(e) })),
      ),
    ]);
    if (matches.length > 0 || errors.length > 0) {
      this.logger.info({ topic: batch.topic, events: batch.messages.length, matches: matches.length, ruleErrors: errors.length }, 'batch evaluated');
    }
  }

  private ruleError(o: RuleOutcomeError, tenantId: string, event: NormalizedEvent): RuleErrorRecord {
    this.logger.warn({ tenantId, ruleId: o.ruleId, errorType: o.errorType }, `rule raised: ${o.message}`);
    return { tenantId, ruleId: o.ruleId, errorType: o.errorType, message: o.message, traceback: o.traceback, event };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.engine.close();
  }
}
