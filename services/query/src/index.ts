export * from './query.module';
export * from './sql-query.service';
export * from './alert-query.service';
export * from './alert-lifecycle.service';
export * from './alert-view.types';
export * from './alert-page-token';
export * from './grpc-server.service';
export * from './token-auth.service';
