import { Module } from '@nestjs/common';
import { SCHEDULE_CONTENT, SCHEDULED_QUERIES, SCHEDULED_QUERY_EXECUTOR, SchedulerService } from '@caracal/scheduler';
import { AlertGrpcHandlers } from './alert-grpc.handlers';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryService } from './alert-query.service';
import { ApiAuditService } from './api-audit.service';
import { DetectionGrpcHandlers } from './detection-grpc.handlers';
import { DetectionReplayService } from './detection-replay.service';
import { DetectionStoreService } from './detection-store.service';
import { GrpcServerService } from './grpc-server.service';
import { QueryGrpcHandlers } from './query-grpc.handlers';
import { RpcRunnerService } from './rpc-runner.service';
import { ScheduleGrpcHandlers } from './schedule-grpc.handlers';
import { SourceGrpcHandlers } from './source-grpc.handlers';
import { SqlQueryService } from './sql-query.service';
import { TokenAuthService } from './token-auth.service';
import { TokenGrpcHandlers } from './token-grpc.handlers';

/** Needs CONFIG, LOGGER, LAKE_CLIENT, MESSAGE_BUS and CONTROL_STORE from a global runtime module. */
@Module({
  providers: [
    TokenAuthService,
    ApiAuditService,
    RpcRunnerService,
    SqlQueryService,
    AlertQueryService,
    AlertLifecycleService,
    DetectionStoreService,
    DetectionReplayService,
    // The scheduler runs where the lake is queried, with the tenants' content this process keeps.
    SchedulerService,
    { provide: SCHEDULED_QUERIES, useExisting: SchedulerService },
    { provide: SCHEDULE_CONTENT, useExisting: DetectionStoreService },
    { provide: SCHEDULED_QUERY_EXECUTOR, useExisting: SqlQueryService },
    QueryGrpcHandlers,
    AlertGrpcHandlers,
    DetectionGrpcHandlers,
    SourceGrpcHandlers,
    TokenGrpcHandlers,
    ScheduleGrpcHandlers,
    GrpcServerService,
  ],
  exports: [GrpcServerService],
})
export class ApiModule {}
