/** @caracal/api-service: the API service (gRPC Query, Alert, Detection, Source, Token and Schedule services), every call audited. */
export { ApiModule } from './api.module';
export { SqlQueryService } from './sql-query.service';
export type { QueryColumn } from './sql-query.service';
export { GrpcServerService } from './grpc-server.service';
export { AlertQueryService } from './alert-query.service';
export { DetectionStoreService } from './detection-store.service';
export { DetectionReplayService } from './detection-replay.service';
export type { ReplayAlert, ReplayProgress, ReplayReport, ReplayRequest } from './detection-replay.types';
