import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidArgumentError, MAX_ALERT_IDS_PER_UPDATE as ALERT_IDS_LIMIT, MAX_ASSIGNEE_CHARS, MAX_COMMENT_CHARS, LAKE_CLIENT, NotFoundError, PermissionDeniedError } from '@caracal/core';
import { ALERT_STATUSES, AlertStatus, toClickHouseTime } from '@caracal/core/messages';
import { ALERT_ACTIVITY_TABLE, LakeClient } from '@caracal/lake';
import { AlertQueryService } from './alert-query.service';
import type { AlertActivityKind, AlertActivityView, AlertView } from './alert-view.types';
import { serviceQueryError } from './lake-query.errors';
import { actorName, Caller } from './token-auth.service';

export const MAX_ALERT_IDS_PER_UPDATE = ALERT_IDS_LIMIT;
export const MAX_COMMENT_LENGTH = MAX_COMMENT_CHARS;
export const MAX_ASSIGNEE_LENGTH = MAX_ASSIGNEE_CHARS;

/**
 * Changes people make to alerts: status, assignee, comments. Each is one
 * appended row of caracal.alert_activity, never an update of the alert row,
 * so the alert stage and people never write the same row.
 */
@Injectable()
export class AlertLifecycleService {
  // Two changes within one millisecond must still read back in the order they were made.
  private lastActivityMs = 0;

  constructor(
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    private readonly alerts: AlertQueryService,
  ) {}

  async updateStatus(caller: Caller, alertIds: string[], status: AlertStatus | undefined): Promise<AlertView[]> {
    this.requireWriter(caller);
    const ids = distinctIds(alertIds);
    if (ids.length > MAX_ALERT_IDS_PER_UPDATE) {
      throw new InvalidArgumentError(`at most ${MAX_ALERT_IDS_PER_UPDATE} alert ids per update, got ${ids.length}`);
    }
    if (status === undefined || !ALERT_STATUSES.includes(status)) {
      throw new InvalidArgumentError(`status must be one of ${ALERT_STATUSES.join(', ')}`);
    }
    await this.requireAlerts(caller.tenantId, ids);
    await this.append(
      caller,
      ids.map((alertId) => ({ alertId, kind: 'STATUS', status })),
    );
    const byId = new Map((await this.alerts.findMany(caller.tenantId, ids)).map((a) => [a.alertId, a]));
    return ids.map((id) => byId.get(id)).filter((a): a is AlertView => a !== undefined);
  }

  /** An empty assignee unassigns. */
  async updateAssignee(caller: Caller, alertId: string, assignee: string): Promise<AlertView> {
    this.requireWriter(caller);
    const [id] = distinctIds([alertId]);
    const name = assignee.trim();
    if (name.length > MAX_ASSIGNEE_LENGTH) throw new InvalidArgumentError(`assignee must be at most ${MAX_ASSIGNEE_LENGTH} characters`);
    await this.requireAlerts(caller.tenantId, [id]);
    await this.append(caller, [{ alertId: id, kind: 'ASSIGNEE', assignee: name }]);
    return this.alerts.getOne(caller.tenantId, id);
  }

  async addComment(caller: Caller, alertId: string, comment: string): Promise<AlertActivityView> {
    this.requireWriter(caller);
    const [id] = distinctIds([alertId]);
    if (comment.trim().length === 0) throw new InvalidArgumentError('comment must not be empty');
    if (comment.length > MAX_COMMENT_LENGTH) throw new InvalidArgumentError(`comment must be at most ${MAX_COMMENT_LENGTH} characters`);
    await this.requireAlerts(caller.tenantId, [id]);
    const [activity] = await this.append(caller, [{ alertId: id, kind: 'COMMENT', comment }]);
    return activity;
  }

  private requireWriter(caller: Caller): void {
    if (caller.role === 'read-only') throw new PermissionDeniedError(`API token "${caller.tokenName}" is read-only and cannot change alerts`);
  }

  /** Alerts of another tenant, and alerts below their threshold, are as absent as ids that never existed. */
  private async requireAlerts(tenantId: string, ids: string[]): Promise<void> {
    const found = new Set((await this.alerts.findMany(tenantId, ids)).map((a) => a.alertId));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length === 1) throw new NotFoundError(`no alert "${missing[0]}"`);
    if (missing.length > 1) throw new NotFoundError(`no alerts ${missing.map((id) => `"${id}"`).join(', ')}`);
  }

  private async append(
    caller: Caller,
    changes: { alertId: string; kind: AlertActivityKind; status?: AlertStatus; assignee?: string; comment?: string }[],
  ): Promise<AlertActivityView[]> {
    const createdTime = this.nextActivityTime();
    const actor = actorName(caller);
    const activity = changes.map(
      (c): AlertActivityView & { alertId: string } => ({
        alertId: c.alertId,
        activityId: randomUUID(),
        kind: c.kind,
        status: c.status,
        assignee: c.assignee ?? '',
        comment: c.comment ?? '',
        actor,
        createdTime,
      }),
    );
    try {
      await this.lake.insert({
        table: ALERT_ACTIVITY_TABLE,
        format: 'JSONEachRow',
        values: activity.map((a) => ({
          tenant_id: caller.tenantId,
          alert_id: a.alertId,
          activity_id: a.activityId,
          kind: a.kind,
          status: a.status ?? '',
          assignee: a.assignee,
          comment: a.comment,
          actor: a.actor,
          created_at: toClickHouseTime(a.createdTime),
        })),
      });
    } catch (err) {
      throw serviceQueryError(err);
    }
    return activity.map(({ alertId: _alertId, ...rest }) => rest);
  }

  private nextActivityTime(): Date {
    this.lastActivityMs = Math.max(Date.now(), this.lastActivityMs + 1);
    return new Date(this.lastActivityMs);
  }
}

function distinctIds(alertIds: string[]): string[] {
  const ids = [...new Set(alertIds.map((id) => id.trim()))];
  if (ids.length === 0 || ids.some((id) => id.length === 0)) throw new InvalidArgumentError('name at least one alert id; an alert id must not be empty');
  return ids;
}
