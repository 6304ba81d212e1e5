export * from './proto-loader';
export * from './api-client';
export type { Alert, Alert__Output } from './generated/caracal/alert/v1/Alert';
export type { AlertServiceHandlers } from './generated/caracal/alert/v1/AlertService';
export type { QueryServiceHandlers } from './generated/caracal/query/v1/QueryService';
export type { ListAlertsRequest__Output } from './generated/caracal/alert/v1/ListAlertsRequest';
export type { ExecuteQueryRequest__Output } from './generated/caracal/query/v1/ExecuteQueryRequest';
export type { ExecuteQueryResponse } from './generated/caracal/query/v1/ExecuteQueryResponse';
