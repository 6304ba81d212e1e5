import { Module } from '@nestjs/common';
import { AlertQueryService } from './alert-query.service';
import { GrpcServerService } from './grpc-server.service';
import { SqlQueryService } from './sql-query.service';
import { TokenAuthService } from './token-auth.service';

/** Needs CONFIG, LOGGER, LAKE_CLIENT and CONTROL_STORE from a global runtime module. */
@Module({
  providers: [TokenAuthService, SqlQueryService, AlertQueryService, GrpcServerService],
  exports: [GrpcServerService],
})
export class QueryModule {}
