import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { loadProtos, protoDefinition, withUndecodableRequests } from '@caracal/api';
import { CONFIG, CaracalConfig, LOGGER, Logger } from '@caracal/core';
import { AlertGrpcHandlers } from './alert-grpc.handlers';
import { DetectionGrpcHandlers } from './detection-grpc.handlers';
import { QueryGrpcHandlers } from './query-grpc.handlers';
import { ScheduleGrpcHandlers } from './schedule-grpc.handlers';
import { SourceGrpcHandlers } from './source-grpc.handlers';
import { TokenGrpcHandlers } from './token-grpc.handlers';

/** Binds the gRPC services, the standard health service and server reflection. */
@Injectable()
export class GrpcServerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: grpc.Server | undefined;
  private boundPort = 0;

  constructor(
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly query: QueryGrpcHandlers,
    private readonly alerts: AlertGrpcHandlers,
    private readonly detections: DetectionGrpcHandlers,
    private readonly sources: SourceGrpcHandlers,
    private readonly tokens: TokenGrpcHandlers,
    private readonly schedules: ScheduleGrpcHandlers,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const protos = loadProtos();
    const server = new grpc.Server();
    const services: [string, grpc.ServiceDefinition, grpc.UntypedServiceImplementation][] = [
      ['caracal.query.v1.QueryService', protos.caracal.query.v1.QueryService.service, this.query.handlers()],
      ['caracal.alert.v1.AlertService', protos.caracal.alert.v1.AlertService.service, this.alerts.handlers()],
      ['caracal.detection.v1.DetectionService', protos.caracal.detection.v1.DetectionService.service, this.detections.handlers()],
      ['caracal.source.v1.SourceService', protos.caracal.source.v1.SourceService.service, this.sources.handlers()],
      ['caracal.token.v1.TokenService', protos.caracal.token.v1.TokenService.service, this.tokens.handlers()],
      ['caracal.schedule.v1.ScheduleService', protos.caracal.schedule.v1.ScheduleService.service, this.schedules.handlers()],
    ];
    // A request that does not decode reaches the handlers, which refuse it as INVALID_ARGUMENT (grpc-js would answer INTERNAL).
    for (const [, definition, handlers] of services) server.addService(withUndecodableRequests(definition), handlers);
    // The standard health service, for Kubernetes gRPC probes and load balancers.
    const health = new HealthImplementation(Object.fromEntries([['', 'SERVING'], ...services.map(([name]) => [name, 'SERVING'])]));
    health.addToServer(server);
    // Reflection lets grpcurl and similar tools call the API without the protos at hand.
    new ReflectionService(protoDefinition()).addToServer(server);
    const address = `${this.config.bindHost}:${this.config.grpcPort}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    this.server = server;
    this.logger.info({ address: `${this.config.bindHost}:${this.boundPort}` }, 'gRPC query service listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }
}
