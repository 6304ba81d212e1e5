import { Injectable } from '@nestjs/common';
import type { AlertServiceHandlers } from '@caracal/api';
import { listFilterFromProto, statusFromProto, toActivityMessage, toAlertMessage, toDeliveryMessage } from './alert-grpc.mapper';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryService } from './alert-query.service';
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
          const page = await this.alerts.list(caller.tenantId, listFilterFromProto(call.request));
          audit.details = { alerts: page.alerts.length };
          return { alerts: page.alerts.map(toAlertMessage), nextPageToken: page.nextPageToken };
        });
      },
      GetAlert: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertId: call.request.alertId };
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
          const updated = await this.lifecycle.updateStatus(caller, call.request.alertIds, statusFromProto(call.request.status));
          return { alerts: updated.map(toAlertMessage) };
        });
      },
      UpdateAlertAssignee: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertId: call.request.alertId, assignee: call.request.assignee };
          return { alert: toAlertMessage(await this.lifecycle.updateAssignee(caller, call.request.alertId, call.request.assignee)) };
        });
      },
      AddAlertComment: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { alertIds: [call.request.alertId], comment: call.request.comment };
          const activity = await this.lifecycle.addComment(caller, call.request.alertId, call.request.comment);
          audit.details = { activityId: activity.activityId };
          return { activity: toActivityMessage(activity) };
        });
      },
    };
  }
}
