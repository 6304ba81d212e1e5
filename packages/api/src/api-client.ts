import * as grpc from '@grpc/grpc-js';
import type { Alert__Output } from './generated/caracal/alert/v1/Alert';
import type { AlertActivity__Output } from './generated/caracal/alert/v1/AlertActivity';
import type { AlertStatus } from './generated/caracal/alert/v1/AlertStatus';
import type { GetAlertResponse__Output } from './generated/caracal/alert/v1/GetAlertResponse';
import type { ListAlertsRequest } from './generated/caracal/alert/v1/ListAlertsRequest';
import type { ListAlertsResponse__Output } from './generated/caracal/alert/v1/ListAlertsResponse';
import type { ExecuteQueryResponse__Output } from './generated/caracal/query/v1/ExecuteQueryResponse';
import { loadProtos } from './proto-loader';

export interface QueryResult {
  queryId: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  elapsedSeconds: number;
}

/** A small typed client over the gRPC services, used by the CLI and the end-to-end tests. */
export class CaracalClient {
  private readonly query;
  private readonly alerts;
  private readonly metadata = new grpc.Metadata();

  constructor(endpoint: string, token: string) {
    const protos = loadProtos();
    const creds = grpc.credentials.createInsecure();
    this.query = new protos.caracal.query.v1.QueryService(endpoint, creds);
    this.alerts = new protos.caracal.alert.v1.AlertService(endpoint, creds);
    this.metadata.set('authorization', `Bearer ${token}`);
  }

  executeQuery(sql: string): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      this.query.executeQuery({ sql }, this.metadata, (err: grpc.ServiceError | null, res?: ExecuteQueryResponse__Output) => {
        if (err || !res) return reject(err ?? new Error('empty response'));
        resolve({
          queryId: res.queryId,
          columns: res.columns.map((c) => ({ name: c.name, type: c.type })),
          rows: res.rowsJson.map((r) => JSON.parse(r) as Record<string, unknown>),
          elapsedSeconds: res.elapsedSeconds,
        });
      });
    });
  }

  /** One page of alerts; pass its nextPageToken as pageToken for the next. */
  listAlerts(request: ListAlertsRequest = {}): Promise<ListAlertsResponse__Output> {
    return this.callAlerts('listAlerts', request);
  }

  getAlert(alertId: string, eventPageSize = 0): Promise<GetAlertResponse__Output> {
    return this.callAlerts('getAlert', { alertId, eventPageSize });
  }

  async updateAlertStatus(alertIds: string[], status: AlertStatus): Promise<Alert__Output[]> {
    const res = await this.callAlerts<{ alerts: Alert__Output[] }>('updateAlertStatus', { alertIds, status });
    return res.alerts;
  }

  /** An empty assignee unassigns. */
  async updateAlertAssignee(alertId: string, assignee: string): Promise<Alert__Output> {
    const res = await this.callAlerts<{ alert: Alert__Output | null }>('updateAlertAssignee', { alertId, assignee });
    if (!res.alert) throw new Error('empty response');
    return res.alert;
  }

  async addAlertComment(alertId: string, comment: string): Promise<AlertActivity__Output> {
    const res = await this.callAlerts<{ activity: AlertActivity__Output | null }>('addAlertComment', { alertId, comment });
    if (!res.activity) throw new Error('empty response');
    return res.activity;
  }

  private callAlerts<Res>(method: 'listAlerts' | 'getAlert' | 'updateAlertStatus' | 'updateAlertAssignee' | 'addAlertComment', request: object): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = this.alerts[method].bind(this.alerts) as (req: object, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: Res) => void) => void;
      fn(request, this.metadata, (err, res) => {
        if (err || !res) return reject(err ?? new Error('empty response'));
        resolve(res);
      });
    });
  }

  close(): void {
    this.query.close();
    this.alerts.close();
  }
}
