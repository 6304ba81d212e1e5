import * as grpc from '@grpc/grpc-js';
import type { Alert__Output } from './generated/caracal/alert/v1/Alert';
import type { AlertActivity__Output } from './generated/caracal/alert/v1/AlertActivity';
import type { AlertStatus } from './generated/caracal/alert/v1/AlertStatus';
import type { GetAlertResponse__Output } from './generated/caracal/alert/v1/GetAlertResponse';
import type { ListAlertsRequest } from './generated/caracal/alert/v1/ListAlertsRequest';
import type { ListAlertsResponse__Output } from './generated/caracal/alert/v1/ListAlertsResponse';
import type { Detection__Output } from './generated/caracal/detection/v1/Detection';
import type { GetDetectionResponse__Output } from './generated/caracal/detection/v1/GetDetectionResponse';
import type { PutDetectionRequest } from './generated/caracal/detection/v1/PutDetectionRequest';
import type { PutDetectionResponse__Output } from './generated/caracal/detection/v1/PutDetectionResponse';
import type { ReplayDetectionRequest } from './generated/caracal/detection/v1/ReplayDetectionRequest';
import type { ReplayDetectionResponse__Output } from './generated/caracal/detection/v1/ReplayDetectionResponse';
import type { ReplayProgress__Output } from './generated/caracal/detection/v1/ReplayProgress';
import type { ReplayReport__Output } from './generated/caracal/detection/v1/ReplayReport';
import type { TestDetectionRequest } from './generated/caracal/detection/v1/TestDetectionRequest';
import type { TestDetectionResponse__Output } from './generated/caracal/detection/v1/TestDetectionResponse';
import type { ExecuteQueryResponse__Output } from './generated/caracal/query/v1/ExecuteQueryResponse';
import type { ListScheduledQueryRunsRequest } from './generated/caracal/schedule/v1/ListScheduledQueryRunsRequest';
import type { ScheduledQuery__Output } from './generated/caracal/schedule/v1/ScheduledQuery';
import type { ScheduledQueryRun__Output } from './generated/caracal/schedule/v1/ScheduledQueryRun';
import type { CreateSourceRequest } from './generated/caracal/source/v1/CreateSourceRequest';
import type { CreateSourceResponse__Output } from './generated/caracal/source/v1/CreateSourceResponse';
import type { RotateSourceSecretRequest } from './generated/caracal/source/v1/RotateSourceSecretRequest';
import type { RotateSourceSecretResponse__Output } from './generated/caracal/source/v1/RotateSourceSecretResponse';
import type { Source__Output } from './generated/caracal/source/v1/Source';
import type { CreateTokenResponse__Output } from './generated/caracal/token/v1/CreateTokenResponse';
import type { Role } from './generated/caracal/token/v1/Role';
import type { Token__Output } from './generated/caracal/token/v1/Token';
import { loadProtos } from './proto-loader';

export interface QueryResult {
  queryId: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  elapsedSeconds: number;
}

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;
type UnaryMethod = (request: object, metadata: grpc.Metadata, callback: Callback<unknown>) => grpc.ClientUnaryCall;

/** A small typed client over the gRPC services, used by the CLI and the end-to-end tests. */
export class CaracalClient {
  private readonly clients: grpc.Client[];
  private readonly query;
  private readonly alerts;
  private readonly detections;
  private readonly sources;
  private readonly tokens;
  private readonly schedules;
  private readonly metadata = new grpc.Metadata();

  constructor(endpoint: string, token: string) {
    const protos = loadProtos();
    const creds = grpc.credentials.createInsecure();
    this.query = new protos.caracal.query.v1.QueryService(endpoint, creds);
    // The services share one connection: they are one server.
    const options = { channelOverride: this.query.getChannel() };
    this.alerts = new protos.caracal.alert.v1.AlertService(endpoint, creds, options);
    this.detections = new protos.caracal.detection.v1.DetectionService(endpoint, creds, options);
    this.sources = new protos.caracal.source.v1.SourceService(endpoint, creds, options);
    this.tokens = new protos.caracal.token.v1.TokenService(endpoint, creds, options);
    this.schedules = new protos.caracal.schedule.v1.ScheduleService(endpoint, creds, options);
    this.clients = [this.query, this.alerts, this.detections, this.sources, this.tokens, this.schedules];
    this.metadata.set('authorization', `Bearer ${token}`);
  }

  /**
   * Runs a query and gathers its stream. `onQueryId` hears the id as soon as
   * the server sends it, so that another call can cancel the query.
   */
  executeQuery(sql: string, options: { onQueryId?: (queryId: string) => void } = {}): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      const call = this.query.executeQuery({ sql }, this.metadata);
      const result: QueryResult = { queryId: '', columns: [], rows: [], rowCount: 0, elapsedSeconds: 0 };
      let finished = false;
      call.on('data', (part: ExecuteQueryResponse__Output) => {
        if (part.header) {
          result.queryId = part.header.queryId;
          options.onQueryId?.(result.queryId);
        } else if (part.columns) {
          result.columns = part.columns.columns.map((c) => ({ name: c.name, type: c.type }));
        } else if (part.rows) {
          for (const r of part.rows.rowsJson) result.rows.push(JSON.parse(r) as Record<string, unknown>);
        } else if (part.summary) {
          finished = true;
          result.rowCount = Number(part.summary.rowCount);
          result.elapsedSeconds = part.summary.elapsedSeconds;
        }
      });
      call.on('error', reject);
      call.on('end', () => (finished ? resolve(result) : reject(new Error('the query stream ended without a summary'))));
    });
  }

  async cancelQuery(queryId: string): Promise<boolean> {
    const res = await this.unary<{ cancelled: boolean }>(this.query, 'cancelQuery', { queryId });
    return res.cancelled;
  }

  /** One page of alerts; pass its nextPageToken as pageToken for the next. */
  listAlerts(request: ListAlertsRequest = {}): Promise<ListAlertsResponse__Output> {
    return this.unary(this.alerts, 'listAlerts', request);
  }

  getAlert(alertId: string, eventPageSize = 0): Promise<GetAlertResponse__Output> {
    return this.unary(this.alerts, 'getAlert', { alertId, eventPageSize });
  }

  async updateAlertStatus(alertIds: string[], status: AlertStatus): Promise<Alert__Output[]> {
    return (await this.unary<{ alerts: Alert__Output[] }>(this.alerts, 'updateAlertStatus', { alertIds, status })).alerts;
  }

  /** An empty assignee unassigns. */
  async updateAlertAssignee(alertId: string, assignee: string): Promise<Alert__Output> {
    return present((await this.unary<{ alert: Alert__Output | null }>(this.alerts, 'updateAlertAssignee', { alertId, assignee })).alert);
  }

  async addAlertComment(alertId: string, comment: string): Promise<AlertActivity__Output> {
    return present((await this.unary<{ activity: AlertActivity__Output | null }>(this.alerts, 'addAlertComment', { alertId, comment })).activity);
  }

  async listDetections(logType = ''): Promise<Detection__Output[]> {
    return (await this.unary<{ detections: Detection__Output[] }>(this.detections, 'listDetections', { logType })).detections;
  }

  getDetection(ruleId: string): Promise<GetDetectionResponse__Output> {
    return this.unary(this.detections, 'getDetection', { ruleId });
  }

  putDetection(request: PutDetectionRequest): Promise<PutDetectionResponse__Output> {
    return this.unary(this.detections, 'putDetection', request);
  }

  async deleteDetection(ruleId: string): Promise<void> {
    await this.unary(this.detections, 'deleteDetection', { ruleId });
  }

  testDetection(request: TestDetectionRequest): Promise<TestDetectionResponse__Output> {
    return this.unary(this.detections, 'testDetection', request);
  }

  /**
   * Replays a detection over the tenant's events in the lake and gathers its
   * stream: `onProgress` hears each progress message as it comes, and the
   * promise settles with the report, or with the call's gRPC error. Aborting
   * `signal` cancels the call, which stops the replay on the server; the
   * promise then rejects with the CANCELLED status.
   */
  replayDetection(request: ReplayDetectionRequest, onProgress?: (progress: ReplayProgress__Output) => void, signal?: AbortSignal): Promise<ReplayReport__Output> {
    return new Promise((resolve, reject) => {
      const call = this.detections.replayDetection(request, this.metadata);
      let report: ReplayReport__Output | undefined;
      let settled = false;
      const cancel = () => call.cancel();
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', cancel);
        outcome();
      };
      call.on('data', (part: ReplayDetectionResponse__Output) => {
        if (part.progress) {
          try {
            onProgress?.(part.progress);
          } catch (err) {
            // A listener that fails ends the replay: nobody is following it any more.
            settle(() => reject(err));
            call.cancel();
          }
        } else if (part.report) {
          report = part.report;
        }
      });
      call.on('error', (err) => settle(() => reject(err)));
      call.on('end', () => settle(() => (report ? resolve(report) : reject(new Error('the replay stream ended without a report')))));
      if (signal?.aborted) call.cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  createSource(request: CreateSourceRequest): Promise<CreateSourceResponse__Output> {
    return this.unary(this.sources, 'createSource', request);
  }

  async listSources(): Promise<Source__Output[]> {
    return (await this.unary<{ sources: Source__Output[] }>(this.sources, 'listSources', {})).sources;
  }

  async deleteSource(sourceId: string): Promise<void> {
    await this.unary(this.sources, 'deleteSource', { sourceId });
  }

  /** Leave previousValidSeconds out for the server's default; 0 refuses the previous secret at once. */
  rotateSourceSecret(request: RotateSourceSecretRequest): Promise<RotateSourceSecretResponse__Output> {
    return this.unary(this.sources, 'rotateSourceSecret', request);
  }

  createToken(name: string, role: Role): Promise<CreateTokenResponse__Output> {
    return this.unary(this.tokens, 'createToken', { name, role });
  }

  async listTokens(): Promise<Token__Output[]> {
    return (await this.unary<{ tokens: Token__Output[] }>(this.tokens, 'listTokens', {})).tokens;
  }

  async revokeToken(tokenId: string): Promise<void> {
    await this.unary(this.tokens, 'revokeToken', { tokenId });
  }

  async listScheduledQueries(): Promise<ScheduledQuery__Output[]> {
    return (await this.unary<{ scheduledQueries: ScheduledQuery__Output[] }>(this.schedules, 'listScheduledQueries', {})).scheduledQueries;
  }

  /** Answers once the run is over, which may take up to the query's timeout. */
  async runScheduledQuery(queryName: string): Promise<ScheduledQueryRun__Output> {
    return present((await this.unary<{ run: ScheduledQueryRun__Output | null }>(this.schedules, 'runScheduledQuery', { queryName })).run);
  }

  /** Newest first; leave limit out (or 0) for the server's default. */
  async listScheduledQueryRuns(request: ListScheduledQueryRunsRequest = {}): Promise<ScheduledQueryRun__Output[]> {
    return (await this.unary<{ runs: ScheduledQueryRun__Output[] }>(this.schedules, 'listScheduledQueryRuns', request)).runs;
  }

  close(): void {
    for (const c of this.clients) c.close();
  }

  private unary<Res>(client: grpc.Client, method: string, request: object): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, UnaryMethod>)[method].bind(client);
      fn(request, this.metadata, (err, res) => {
        if (err || !res) return reject(err ?? new Error('empty response'));
        resolve(res as Res);
      });
    });
  }
}

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('empty response');
  return value;
}
