export * from './query.module';
export * from './sql-query.service';
export * from './alert-query.service';
export * from './grpc-server.service';
export * from './token-auth.service';
