import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, CaracalConfig, LAKE_CLIENT, NotFoundError } from '@caracal/core';
import { AlertStatus, AlertType, DeliveryOutcome, fromClickHouseTime, isErrorAlertType, Severity } from '@caracal/core/messages';
import {
  ALERT_ACTIVITY_TABLE,
  ALERT_DELIVERIES_TABLE,
  ALERTS_TABLE,
  LakeClient,
  lakeLogSchemas,
  ruleOutputTable,
  tenantQuerySettings,
} from '@caracal/lake';
import { decodeAlertPageToken, encodeAlertPageToken } from './alert-page-token';
import type {
  AlertActivityKind,
  AlertActivityView,
  AlertDeliveryView,
  AlertDetail,
  AlertListFilter,
  AlertPage,
  AlertView,
} from './alert-view.types';
import { serviceQueryError } from './lake-query.errors';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const DEFAULT_EVENT_PAGE_SIZE = 50;
const MAX_EVENT_PAGE_SIZE = 1000;

type Row = Record<string, unknown>;

/**
 * Every alert of the tenant as people see it. The alert's latest version comes
 * from FINAL (ReplacingMergeTree by version; the same on chDB and a server);
 * status and assignee come from the latest activity rows, and an alert with no
 * STATUS row keeps its initial status (RESOLVED for a new INFO alert). Alerts
 * still below their threshold are left out here, so no read can reach them.
 */
function currentAlertsSql(): string {
  return `SELECT
  a.alert_id AS alert_id, a.type AS type, a.rule_id AS rule_id, a.dedup AS dedup, a.title AS title,
  a.severity AS severity, a.rule_severity AS rule_severity, a.log_types AS log_types, a.event_count AS event_count,
  a.threshold AS threshold, a.dedup_period_minutes AS dedup_period_minutes,
  a.first_event_time AS first_event_time, a.last_event_time AS last_event_time, a.created_at AS created_at,
  toUnixTimestamp64Milli(a.created_at) AS created_at_ms,
  greatest(a.updated_at, s.activity_at) AS updated_time,
  if(s.has_status, s.latest_status, a.initial_status) AS status,
  s.latest_assignee AS assignee,
  a.alert_context AS alert_context, a.description AS description, a.reference AS reference, a.runbook AS runbook,
  a.tags AS tags, a.destination_override AS destination_override, a.output_ids AS output_ids, a.aux_errors AS aux_errors,
  a.error_type AS error_type, a.error_message AS error_message
FROM (SELECT * FROM ${ALERTS_TABLE} FINAL WHERE tenant_id = {tenant:String}) AS a
LEFT JOIN (
  SELECT alert_id,
    countIf(kind = 'STATUS') > 0 AS has_status,
    argMaxIf(status, (created_at, activity_id), kind = 'STATUS') AS latest_status,
    argMaxIf(assignee, (created_at, activity_id), kind = 'ASSIGNEE') AS latest_assignee,
    max(created_at) AS activity_at
  FROM ${ALERT_ACTIVITY_TABLE} WHERE tenant_id = {tenant:String}
  GROUP BY alert_id
) AS s ON s.alert_id = a.alert_id
WHERE a.threshold_reached_at IS NOT NULL`;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function toAlertView(r: Row): AlertView {
  const override = r.destination_override;
  return {
    alertId: String(r.alert_id),
    type: String(r.type) as AlertType,
    ruleId: String(r.rule_id),
    dedup: String(r.dedup),
    title: String(r.title),
    severity: String(r.severity) as Severity,
    ruleSeverity: String(r.rule_severity) as Severity,
    status: String(r.status) as AlertStatus,
    assignee: String(r.assignee ?? ''),
    logTypes: strings(r.log_types),
    eventCount: Number(r.event_count),
    threshold: Number(r.threshold),
    dedupPeriodMinutes: Number(r.dedup_period_minutes),
    firstEventTime: fromClickHouseTime(String(r.first_event_time)),
    lastEventTime: fromClickHouseTime(String(r.last_event_time)),
    createdTime: fromClickHouseTime(String(r.created_at)),
    updatedTime: fromClickHouseTime(String(r.updated_time)),
    alertContextJson: String(r.alert_context || '{}'),
    description: String(r.description),
    reference: String(r.reference),
    runbook: String(r.runbook),
    tags: strings(r.tags),
    destinationOverride: override === null || override === undefined ? null : strings(JSON.parse(String(override))),
    outputIds: strings(r.output_ids),
    auxErrors: strings(r.aux_errors),
    errorType: String(r.error_type),
    errorMessage: String(r.error_message),
  };
}

function clampPageSize(requested: number | undefined, fallback: number, max: number): number {
  return Math.min(requested && requested > 0 ? Math.floor(requested) : fallback, max);
}

/** Reads alerts, their events, activity and deliveries, always for one tenant. */
@Injectable()
export class AlertQueryService {
  constructor(
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
  ) {}

  /** Newest first (created_at DESC, alert_id); the page token continues strictly after the last alert of a page. */
  async list(tenantId: string, filter: AlertListFilter = {}): Promise<AlertPage> {
    const limit = clampPageSize(filter.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const cursor = filter.pageToken ? decodeAlertPageToken(filter.pageToken) : undefined;
    const where: string[] = [];
    const params: Record<string, unknown> = { tenant: tenantId, limit: limit + 1 };
    if (filter.ruleId) {
      where.push('rule_id = {rule:String}');
      params.rule = filter.ruleId;
    }
    if (filter.statuses?.length) {
      where.push('has({statuses:Array(String)}, status)');
      params.statuses = filter.statuses;
    }
    if (filter.severities?.length) {
      where.push('has({severities:Array(String)}, severity)');
      params.severities = filter.severities;
    }
    if (filter.types?.length) {
      where.push('has({types:Array(String)}, type)');
      params.types = filter.types;
    }
    if (filter.createdAfterMs !== undefined) {
      where.push("created_at >= fromUnixTimestamp64Milli({after:Int64}, 'UTC')");
      params.after = filter.createdAfterMs;
    }
    if (filter.createdBeforeMs !== undefined) {
      where.push("created_at < fromUnixTimestamp64Milli({before:Int64}, 'UTC')");
      params.before = filter.createdBeforeMs;
    }
    if (cursor) {
      where.push(
        "(created_at < fromUnixTimestamp64Milli({cursorMs:Int64}, 'UTC') OR " +
          "(created_at = fromUnixTimestamp64Milli({cursorMs:Int64}, 'UTC') AND alert_id > {cursorId:String}))",
      );
      params.cursorMs = cursor.createdAtMs;
      params.cursorId = cursor.alertId;
    }
    const rows = await this.select(
      `SELECT * FROM (${currentAlertsSql()})${where.length ? `\nWHERE ${where.join(' AND ')}` : ''}\n` +
        'ORDER BY created_at DESC, alert_id LIMIT {limit:UInt32}',
      params,
    );
    // One row more than the page tells whether another page exists without a count.
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextPageToken =
      rows.length > limit && last ? encodeAlertPageToken({ createdAtMs: Number(last.created_at_ms), alertId: String(last.alert_id) }) : '';
    return { alerts: page.map(toAlertView), nextPageToken };
  }

  /** The alerts among `alertIds` that the tenant has, in no particular order. */
  async findMany(tenantId: string, alertIds: string[]): Promise<AlertView[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.select(`SELECT * FROM (${currentAlertsSql()}) WHERE has({ids:Array(String)}, alert_id)`, {
      tenant: tenantId,
      ids: alertIds,
    });
    return rows.map(toAlertView);
  }

  async getOne(tenantId: string, alertId: string): Promise<AlertView> {
    const [alert] = await this.findMany(tenantId, [alertId]);
    if (!alert) throw new NotFoundError(`no alert "${alertId}"`);
    return alert;
  }

  async getDetail(tenantId: string, alertId: string, eventPageSize?: number): Promise<AlertDetail> {
    const alert = await this.getOne(tenantId, alertId);
    const [events, activity, deliveries] = await Promise.all([
      this.events(tenantId, alert, clampPageSize(eventPageSize, DEFAULT_EVENT_PAGE_SIZE, MAX_EVENT_PAGE_SIZE)),
      this.activity(tenantId, alertId),
      this.deliveries(tenantId, alertId),
    ]);
    return { alert, events, activity, deliveries };
  }

  /**
   * The alert's rows in panther_rule_matches (or panther_rule_errors for a
   * rule error), one query per log table since their columns differ (a
   * scheduled rule's: the one table of scheduled query rows), merged
   * oldest first. A replayed event may sit twice in a table until a merge,
   * hence LIMIT 1 BY p_row_id.
   */
  private async events(tenantId: string, alert: AlertView, limit: number): Promise<Row[]> {
    const database = isErrorAlertType(alert.type) ? 'panther_rule_errors' : 'panther_rule_matches';
    // The tables the writer put the alert's events in, by their log types: the same mapping.
    const ownTables = [...new Set(alert.logTypes.map(ruleOutputTable).filter((t): t is string => t !== undefined))];
    const tables = ownTables.length > 0 ? ownTables : lakeLogSchemas().map((s) => s.table);
    const settings = tenantQuerySettings(tenantId, this.config.query);
    const perTable = await Promise.all(
      tables.map((table) =>
        this.select(
          `SELECT * FROM ${database}.${table} WHERE p_tenant_id = {tenant:String} AND p_alert_id = {alert:String}\n` +
            `ORDER BY p_event_time, p_row_id LIMIT 1 BY p_row_id LIMIT {limit:UInt32}\nSETTINGS ${settings}`,
          { tenant: tenantId, alert: alert.alertId, limit },
          false,
        ),
      ),
    );
    const seen = new Set<string>();
    return perTable
      .flat()
      .sort((a, b) => String(a.p_event_time).localeCompare(String(b.p_event_time)) || String(a.p_row_id).localeCompare(String(b.p_row_id)))
      .filter((r) => {
        const id = String(r.p_row_id);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      })
      .slice(0, limit);
  }

  private async activity(tenantId: string, alertId: string): Promise<AlertActivityView[]> {
    const rows = await this.select(
      `SELECT activity_id, kind, status, assignee, comment, actor, created_at FROM ${ALERT_ACTIVITY_TABLE} FINAL\n` +
        'WHERE tenant_id = {tenant:String} AND alert_id = {alert:String} ORDER BY created_at, activity_id',
      { tenant: tenantId, alert: alertId },
    );
    return rows.map((r) => ({
      activityId: String(r.activity_id),
      kind: String(r.kind) as AlertActivityKind,
      status: r.kind === 'STATUS' ? (String(r.status) as AlertStatus) : undefined,
      assignee: String(r.assignee),
      comment: String(r.comment),
      actor: String(r.actor),
      createdTime: fromClickHouseTime(String(r.created_at)),
    }));
  }

  private async deliveries(tenantId: string, alertId: string): Promise<AlertDeliveryView[]> {
    const rows = await this.select(
      `SELECT destination_id, destination_type, outcome, attempts, http_status, error, attempted_at FROM ${ALERT_DELIVERIES_TABLE} FINAL\n` +
        'WHERE tenant_id = {tenant:String} AND alert_id = {alert:String} ORDER BY attempted_at, destination_id',
      { tenant: tenantId, alert: alertId },
    );
    return rows.map((r) => ({
      destinationId: String(r.destination_id),
      destinationType: String(r.destination_type),
      outcome: String(r.outcome) as DeliveryOutcome,
      attempts: Number(r.attempts),
      httpStatus: Number(r.http_status),
      error: String(r.error),
      attemptedTime: fromClickHouseTime(String(r.attempted_at)),
    }));
  }

  /** `ownSettings` false for a query that carries the tenant SETTINGS (readonly) in its text. */
  private async select(query: string, params: Record<string, unknown>, ownSettings = true): Promise<Row[]> {
    try {
      const rs = await this.lake.query({
        query,
        format: 'JSONEachRow',
        query_params: params,
        // A server profile may turn join_use_nulls on; the status fallback above relies on default values.
        clickhouse_settings: ownSettings ? { join_use_nulls: 0, max_execution_time: this.config.query.maxExecutionTimeSeconds } : undefined,
      });
      return await rs.json<Row>();
    } catch (err) {
      throw serviceQueryError(err);
    }
  }
}
