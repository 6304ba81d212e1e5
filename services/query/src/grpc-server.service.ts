import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { AlertServiceHandlers, loadProtos, QueryServiceHandlers } from '@caracal/api';
import { CONFIG, CaracalConfig, LOGGER, Logger } from '@caracal/core';
import { listFilterFromProto, statusFromProto, toActivityMessage, toAlertMessage, toDeliveryMessage } from './alert-grpc.mapper';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryService } from './alert-query.service';
import { toGrpcError } from './grpc-status.mapper';
import { SqlQueryService } from './sql-query.service';
import { Caller, TokenAuthService } from './token-auth.service';

/** Binds the gRPC services; each handler authenticates, calls a service, and maps errors at this edge only. */
@Injectable()
export class GrpcServerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: grpc.Server | undefined;
  private boundPort = 0;

  constructor(
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly auth: TokenAuthService,
    private readonly sql: SqlQueryService,
    private readonly alerts: AlertQueryService,
    private readonly lifecycle: AlertLifecycleService,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const protos = loadProtos();
    const server = new grpc.Server();
    const query: QueryServiceHandlers = {
      ExecuteQuery: (call, callback) => {
        this.run(call, callback, async ({ tenantId }) => {
          const r = await this.sql.execute(tenantId, call.request.sql);
          return {
            queryId: r.queryId,
            columns: r.columns,
            rowsJson: r.rows.map((row) => JSON.stringify(row)),
            rowCount: String(r.rows.length),
            elapsedSeconds: r.elapsedSeconds,
          };
        });
      },
    };
    const alerts: AlertServiceHandlers = {
      ListAlerts: (call, callback) => {
        this.run(call, callback, async ({ tenantId }) => {
          const page = await this.alerts.list(tenantId, listFilterFromProto(call.request));
          return { alerts: page.alerts.map(toAlertMessage), nextPageToken: page.nextPageToken };
        });
      },
      GetAlert: (call, callback) => {
        this.run(call, callback, async ({ tenantId }) => {
          const d = await this.alerts.getDetail(tenantId, call.request.alertId, call.request.eventPageSize);
          return {
            alert: toAlertMessage(d.alert),
            eventsJson: d.events.map((e) => JSON.stringify(e)),
            activity: d.activity.map(toActivityMessage),
            deliveries: d.deliveries.map(toDeliveryMessage),
          };
        });
      },
      UpdateAlertStatus: (call, callback) => {
        this.run(call, callback, async (caller) => {
          const updated = await this.lifecycle.updateStatus(caller, call.request.alertIds, statusFromProto(call.request.status));
          return { alerts: updated.map(toAlertMessage) };
        });
      },
      UpdateAlertAssignee: (call, callback) => {
        this.run(call, callback, async (caller) => ({
          alert: toAlertMessage(await this.lifecycle.updateAssignee(caller, call.request.alertId, call.request.assignee)),
        }));
      },
      AddAlertComment: (call, callback) => {
        this.run(call, callback, async (caller) => ({
          activity: toActivityMessage(await this.lifecycle.addComment(caller, call.request.alertId, call.request.comment)),
        }));
      },
    };
    server.addService(protos.caracal.query.v1.QueryService.service, query);
    server.addService(protos.caracal.alert.v1.AlertService.service, alerts);
    // The standard health service, for Kubernetes gRPC probes and load balancers.
    const health = new HealthImplementation({
      '': 'SERVING',
      'caracal.query.v1.QueryService': 'SERVING',
      'caracal.alert.v1.AlertService': 'SERVING',
    });
    health.addToServer(server);
    const address = `${this.config.bindHost}:${this.config.grpcPort}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    this.server = server;
    this.logger.info({ address: `${this.config.bindHost}:${this.boundPort}` }, 'gRPC query service listening');
  }

  private run<Req, Res>(
    call: grpc.ServerUnaryCall<Req, Res>,
    callback: grpc.sendUnaryData<Res>,
    handler: (caller: Caller) => Promise<Res>,
  ): void {
    const method = call.getPath();
    Promise.resolve()
      .then(() => this.auth.authenticate(call.metadata))
      .then(async (caller) => {
        const result = await handler(caller);
        this.logger.debug({ method, tenantId: caller.tenantId }, 'rpc served');
        callback(null, result);
      })
      .catch((err: unknown) => {
        const grpcErr = toGrpcError(err);
        if (grpcErr.code === grpc.status.INTERNAL || grpcErr.code === grpc.status.UNAVAILABLE) this.logger.error({ err, method }, 'rpc failed');
        callback(grpcErr as grpc.ServiceError, null);
      });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }
}
