import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { BusConsumer, ConsumedBatch, MessageBus } from '@caracal/bus';
import { CONFIG, CaracalConfig, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, RuleMatch, toClickHouseTime, Topics } from '@caracal/core';
import { LakeClient, schemaForLogType } from '@caracal/lake';
import { writeBatch } from './lake-insert';

export const RULE_MATCH_WRITER_GROUP = 'caracal-clickhouse-writer-matches';

/** A rule-match row: the event's own columns plus the alert and rule columns. */
export function ruleMatchRow(m: RuleMatch, now: Date): Record<string, unknown> {
  return {
    ...m.event,
    p_alert_id: m.alertId,
    p_alert_title: m.title,
    p_alert_dedup: m.dedup,
    p_alert_creation_time: toClickHouseTime(now),
    p_alert_update_time: toClickHouseTime(now),
    p_alert_context: JSON.stringify(m.alertContext ?? {}),
    p_alert_severity: m.severity,
    p_alert_description: m.description,
    p_alert_runbook: m.runbook,
    p_alert_reference: m.reference,
    p_alert_errors: m.auxErrors,
    p_rule_id: m.ruleId,
    p_rule_severity: m.ruleSeverity,
    p_rule_tags: m.tags,
    p_rule_reports: m.reports,
    p_rule_dedup_period_minutes: m.dedupPeriodMinutes,
  };
}

/** Rule matches into panther_rule_matches.<log type>. */
@Injectable()
export class RuleMatchWriterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: BusConsumer | undefined;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([Topics.ruleMatches]);
    this.consumer = this.bus.consumer({ groupId: RULE_MATCH_WRITER_GROUP, topics: [Topics.ruleMatches], maxBatchMessages: this.config.batch.maxEvents });
    await this.consumer.run((batch) => this.handle(batch));
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const now = new Date();
    await writeBatch(this.lake, batch, (value) => {
      const match = value as RuleMatch;
      const schema = schemaForLogType(match.event.p_log_type);
      if (!schema) {
        this.logger.error({ logType: match.event.p_log_type, ruleId: match.ruleId }, 'rule match of unknown log type skipped');
        return undefined;
      }
      return { table: `panther_rule_matches.${schema.table}`, row: ruleMatchRow(match, now) };
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
