// Original file: ../../proto/caracal/query/v1/query_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelQueryRequest as _caracal_query_v1_CancelQueryRequest, CancelQueryRequest__Output as _caracal_query_v1_CancelQueryRequest__Output } from '../../../caracal/query/v1/CancelQueryRequest';
import type { CancelQueryResponse as _caracal_query_v1_CancelQueryResponse, CancelQueryResponse__Output as _caracal_query_v1_CancelQueryResponse__Output } from '../../../caracal/query/v1/CancelQueryResponse';
import type { ExecuteQueryRequest as _caracal_query_v1_ExecuteQueryRequest, ExecuteQueryRequest__Output as _caracal_query_v1_ExecuteQueryRequest__Output } from '../../../caracal/query/v1/ExecuteQueryRequest';
import type { ExecuteQueryResponse as _caracal_query_v1_ExecuteQueryResponse, ExecuteQueryResponse__Output as _caracal_query_v1_ExecuteQueryResponse__Output } from '../../../caracal/query/v1/ExecuteQueryResponse';

export interface QueryServiceClient extends grpc.Client {
  CancelQuery(argument: _caracal_query_v1_CancelQueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  CancelQuery(argument: _caracal_query_v1_CancelQueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  CancelQuery(argument: _caracal_query_v1_CancelQueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  CancelQuery(argument: _caracal_query_v1_CancelQueryRequest, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  cancelQuery(argument: _caracal_query_v1_CancelQueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  cancelQuery(argument: _caracal_query_v1_CancelQueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  cancelQuery(argument: _caracal_query_v1_CancelQueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  cancelQuery(argument: _caracal_query_v1_CancelQueryRequest, callback: grpc.requestCallback<_caracal_query_v1_CancelQueryResponse__Output>): grpc.ClientUnaryCall;
  
  ExecuteQuery(argument: _caracal_query_v1_ExecuteQueryRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_query_v1_ExecuteQueryResponse__Output>;
  ExecuteQuery(argument: _caracal_query_v1_ExecuteQueryRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_query_v1_ExecuteQueryResponse__Output>;
  executeQuery(argument: _caracal_query_v1_ExecuteQueryRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_query_v1_ExecuteQueryResponse__Output>;
  executeQuery(argument: _caracal_query_v1_ExecuteQueryRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_query_v1_ExecuteQueryResponse__Output>;
  
}

export interface QueryServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelQuery: grpc.handleUnaryCall<_caracal_query_v1_CancelQueryRequest__Output, _caracal_query_v1_CancelQueryResponse>;
  
  ExecuteQuery: grpc.handleServerStreamingCall<_caracal_query_v1_ExecuteQueryRequest__Output, _caracal_query_v1_ExecuteQueryResponse>;
  
}

export interface QueryServiceDefinition extends grpc.ServiceDefinition {
  CancelQuery: MethodDefinition<_caracal_query_v1_CancelQueryRequest, _caracal_query_v1_CancelQueryResponse, _caracal_query_v1_CancelQueryRequest__Output, _caracal_query_v1_CancelQueryResponse__Output>
  ExecuteQuery: MethodDefinition<_caracal_query_v1_ExecuteQueryRequest, _caracal_query_v1_ExecuteQueryResponse, _caracal_query_v1_ExecuteQueryRequest__Output, _caracal_query_v1_ExecuteQueryResponse__Output>
}
