import { Module } from '@nestjs/common';
import { AlertGrpcHandlers } from './alert-grpc.handlers';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryService } from './alert-query.service';
import { ApiAuditService } from './api-audit.service';
import { DetectionGrpcHandlers } from './detection-grpc.handlers';
import { DetectionStoreService } from './detection-store.service';
import { GrpcServerService } from './grpc-server.service';
import { QueryGrpcHandlers } from './query-grpc.handlers';
import { RpcRunnerService } from './rpc-runner.service';
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
    QueryGrpcHandlers,
    AlertGrpcHandlers,
    DetectionGrpcHandlers,
    SourceGrpcHandlers,
    TokenGrpcHandlers,
    GrpcServerService,
  ],
  exports: [GrpcServerService],
})
export class ApiModule {}
