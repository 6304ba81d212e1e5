// Original file: ../../proto/caracal/query/v1/query_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExecuteQueryRequest as _caracal_query_v1_ExecuteQueryRequest, ExecuteQueryRequest__Output as _caracal_query_v1_ExecuteQueryRequest__Output } from '../../../caracal/query/v1/ExecuteQueryRequest';
import type { ExecuteQueryResponse as _caracal_query_v1_ExecuteQueryResponse, ExecuteQueryResponse__Output as _caracal_query_v1_ExecuteQueryResponse__Output } from '../../../caracal/query/v1/ExecuteQueryResponse';

export interface QueryServiceClient extends grpc.Client {
  ExecuteQuery(argument: _caracal_query_v1_ExecuteQueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  ExecuteQuery(argument: _caracal_query_v1_ExecuteQueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  ExecuteQuery(argument: _caracal_query_v1_ExecuteQueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  ExecuteQuery(argument: _caracal_query_v1_ExecuteQueryRequest, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  executeQuery(argument: _caracal_query_v1_ExecuteQueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  executeQuery(argument: _caracal_query_v1_ExecuteQueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  executeQuery(argument: _caracal_query_v1_ExecuteQueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  executeQuery(argument: _caracal_query_v1_ExecuteQueryRequest, callback: grpc.requestCallback<_caracal_query_v1_ExecuteQueryResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface QueryServiceHandlers extends grpc.UntypedServiceImplementation {
  ExecuteQuery: grpc.handleUnaryCall<_caracal_query_v1_ExecuteQueryRequest__Output, _caracal_query_v1_ExecuteQueryResponse>;
  
}

export interface QueryServiceDefinition extends grpc.ServiceDefinition {
  ExecuteQuery: MethodDefinition<_caracal_query_v1_ExecuteQueryRequest, _caracal_query_v1_ExecuteQueryResponse, _caracal_query_v1_ExecuteQueryRequest__Output, _caracal_query_v1_ExecuteQueryResponse__Output>
}
