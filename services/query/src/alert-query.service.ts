import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, CaracalConfig, LAKE_CLIENT, Severity } from '@caracal/core';
import { LakeClient, LOG_SCHEMAS, tenantQuerySettings } from '@caracal/lake';
import { engineQueryError } from './lake-query.errors';

export interface AlertSummary {
  alertId: string;
  ruleId: string;
  title: string;
  severity: Severity;
  status: 'OPEN' | 'TRIAGED' | 'RESOLVED' | 'CLOSED';
  dedup: string;
  eventCount: number;
  firstEventTime: Date;
  lastEventTime: Date;
  createdTime: Date;
  logType: string;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

function parseTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

/**
 * Alerts as the rule-match rows grouped by their deterministic alert id.
 * Status changes arrive with the alert stage; until then a new alert is
 * RESOLVED when its severity is INFO and OPEN otherwise, as detections.md says.
 */
@Injectable()
export class AlertQueryService {
  constructor(
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
  ) {}

  async list(tenantId: string, filter: { pageSize?: number; ruleId?: string }): Promise<AlertSummary[]> {
    const limit = Math.min(filter.pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const union = LOG_SCHEMAS.map(
      (s) =>
        `SELECT p_alert_id, p_rule_id, p_alert_title, p_alert_severity, p_alert_dedup, p_event_time, p_alert_creation_time, p_log_type ` +
        `FROM panther_rule_matches.${s.table} WHERE p_tenant_id = {tenant:String}` +
        (filter.ruleId ? ' AND p_rule_id = {rule:String}' : ''),
    ).join('\nUNION ALL\n');
    const query =
      `SELECT p_alert_id AS alertId, any(p_rule_id) AS ruleId, argMin(p_alert_title, p_event_time) AS title, ` +
      `argMax(p_alert_severity, p_event_time) AS severity, any(p_alert_dedup) AS dedup, count() AS eventCount, ` +
      `min(p_event_time) AS firstEventTime, max(p_event_time) AS lastEventTime, min(p_alert_creation_time) AS createdTime, ` +
      `any(p_log_type) AS logType FROM (${union}) GROUP BY p_alert_id ORDER BY createdTime DESC, alertId LIMIT ${limit}\n` +
      `SETTINGS ${tenantQuerySettings(tenantId, this.config.query)}`;
    try {
      const rs = await this.lake.query({ query, format: 'JSONEachRow', query_params: { tenant: tenantId, rule: filter.ruleId ?? '' } });
      const rows = await rs.json<Record<string, string | number>>();
      return rows.map((r) => {
        const severity = String(r.severity) as Severity;
        return {
          alertId: String(r.alertId),
          ruleId: String(r.ruleId),
          title: String(r.title),
          severity,
          status: severity === 'INFO' ? 'RESOLVED' : 'OPEN',
          dedup: String(r.dedup),
          eventCount: Number(r.eventCount),
          firstEventTime: parseTime(String(r.firstEventTime)),
          lastEventTime: parseTime(String(r.lastEventTime)),
          createdTime: parseTime(String(r.createdTime)),
          logType: String(r.logType),
        };
      });
    } catch (err) {
      throw engineQueryError(err);
    }
  }
}
