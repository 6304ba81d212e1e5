import * as grpc from '@grpc/grpc-js';
import type { Alert__Output } from './generated/caracal/alert/v1/Alert';
import type { ListAlertsRequest } from './generated/caracal/alert/v1/ListAlertsRequest';
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

  listAlerts(request: ListAlertsRequest = {}): Promise<Alert__Output[]> {
    return new Promise((resolve, reject) => {
      this.alerts.listAlerts(request, this.metadata, (err: grpc.ServiceError | null, res?: { alerts: Alert__Output[] }) => {
        if (err || !res) return reject(err ?? new Error('empty response'));
        resolve(res.alerts);
      });
    });
  }

  close(): void {
    this.query.close();
    this.alerts.close();
  }
}
