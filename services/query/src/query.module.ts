import { Module } from '@nestjs/common';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryService } from './alert-query.service';
import { GrpcServerService } from './grpc-server.service';
import { SqlQueryService } from './sql-query.service';
import { TokenAuthService } from './token-auth.service';

/** Needs CONFIG, LOGGER, LAKE_CLIENT and CONTROL_STORE from a global runtime module. */
@Module({
  providers: [TokenAuthService, SqlQueryService, AlertQueryService, AlertLifecycleService, GrpcServerService],
  exports: [GrpcServerService],
})
export class QueryModule {}
