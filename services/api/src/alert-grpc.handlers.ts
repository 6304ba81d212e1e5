import { Injectable } from '@nestjs/common';
import type { AlertServiceHandlers } from '@caracal/api';
import { MAX_ASSIGNEE_CHARS, MAX_COMMENT_CHARS } from '@caracal/core';
import { listFilterFromProto, statusFromProto, toActivityMessage, toAlertMessage, toDeliveryMessage } from './alert-grpc.mapper';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryService } from './alert-query.service';
import { checkChars, checkEach, checkOpaqueId, checkRuleId } from './rpc-argument.validator';
import { RpcRunnerService } from './rpc-runner.service';

/** AlertService: reading alerts and the changes people make to them. */
@Injectable()
export class AlertGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    private readonly alerts: AlertQueryService,
    private readonly lifecycle: AlertLifecycleService,
  ) {}

  handlers(): AlertServiceHandlers {
    return {
      ListAlerts: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { ...call.request };
          checkRuleId('rule_id', call.request.ruleId, true);
          const page = await this.alerts.list(caller.tenantId, listFilterFromProto(call.request));
          audit.details = { alerts: page.alerts.length };
          return { alerts: page.alerts.map(toAlertMessage), nextPageToken: page.nextPageToken };
        });
      },
      GetAlert: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertId: call.request.alertId };
          checkOpaqueId('alert_id', call.request.alertId);
          const d = await this.alerts.getDetail(caller.tenantId, call.request.alertId, call.request.eventPageSize);
          return {
            alert: toAlertMessage(d.alert),
            eventsJson: d.events.map((e) => JSON.stringify(e)),
            activity: d.activity.map(toActivityMessage),
            deliveries: d.deliveries.map(toDeliveryMessage),
          };
        });
      },
      UpdateAlertStatus: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertIds: call.request.alertIds, status: call.request.status };
          checkEach('alert_ids', call.request.alertIds, (field, id) => checkOpaqueId(field, id.trim()));
          const updated = await this.lifecycle.updateStatus(caller, call.request.alertIds, statusFromProto(call.request.status));
          return { alerts: updated.map(toAlertMessage) };
        });
      },
      UpdateAlertAssignee: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertId: call.request.alertId, assignee: call.request.assignee };
          checkOpaqueId('alert_id', call.request.alertId.trim());
          checkChars('assignee', call.request.assignee.trim(), MAX_ASSIGNEE_CHARS);
          return { alert: toAlertMessage(await this.lifecycle.updateAssignee(caller, call.request.alertId, call.request.assignee)) };
        });
      },
      AddAlertComment: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertIds: [call.request.alertId], comment: call.request.comment };
          checkOpaqueId('alert_id', call.request.alertId.trim());
          checkChars('comment', call.request.comment, MAX_COMMENT_CHARS);
          const activity = await this.lifecycle.addComment(caller, call.request.alertId, call.request.comment);
          audit.details = { activityId: activity.activityId };
          return { activity: toActivityMessage(activity) };
        });
      },
    };
  }
}
