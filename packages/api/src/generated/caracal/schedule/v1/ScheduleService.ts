// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListScheduledQueriesRequest as _caracal_schedule_v1_ListScheduledQueriesRequest, ListScheduledQueriesRequest__Output as _caracal_schedule_v1_ListScheduledQueriesRequest__Output } from '../../../caracal/schedule/v1/ListScheduledQueriesRequest';
import type { ListScheduledQueriesResponse as _caracal_schedule_v1_ListScheduledQueriesResponse, ListScheduledQueriesResponse__Output as _caracal_schedule_v1_ListScheduledQueriesResponse__Output } from '../../../caracal/schedule/v1/ListScheduledQueriesResponse';
import type { ListScheduledQueryRunsRequest as _caracal_schedule_v1_ListScheduledQueryRunsRequest, ListScheduledQueryRunsRequest__Output as _caracal_schedule_v1_ListScheduledQueryRunsRequest__Output } from '../../../caracal/schedule/v1/ListScheduledQueryRunsRequest';
import type { ListScheduledQueryRunsResponse as _caracal_schedule_v1_ListScheduledQueryRunsResponse, ListScheduledQueryRunsResponse__Output as _caracal_schedule_v1_ListScheduledQueryRunsResponse__Output } from '../../../caracal/schedule/v1/ListScheduledQueryRunsResponse';
import type { RunScheduledQueryRequest as _caracal_schedule_v1_RunScheduledQueryRequest, RunScheduledQueryRequest__Output as _caracal_schedule_v1_RunScheduledQueryRequest__Output } from '../../../caracal/schedule/v1/RunScheduledQueryRequest';
import type { RunScheduledQueryResponse as _caracal_schedule_v1_RunScheduledQueryResponse, RunScheduledQueryResponse__Output as _caracal_schedule_v1_RunScheduledQueryResponse__Output } from '../../../caracal/schedule/v1/RunScheduledQueryResponse';

export interface ScheduleServiceClient extends grpc.Client {
  ListScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  ListScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  ListScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  ListScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueries(argument: _caracal_schedule_v1_ListScheduledQueriesRequest, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueriesResponse__Output>): grpc.ClientUnaryCall;
  
  ListScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  ListScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  ListScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  ListScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  listScheduledQueryRuns(argument: _caracal_schedule_v1_ListScheduledQueryRunsRequest, callback: grpc.requestCallback<_caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>): grpc.ClientUnaryCall;
  
  RunScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  RunScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  RunScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  RunScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  runScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  runScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  runScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  runScheduledQuery(argument: _caracal_schedule_v1_RunScheduledQueryRequest, callback: grpc.requestCallback<_caracal_schedule_v1_RunScheduledQueryResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ScheduleServiceHandlers extends grpc.UntypedServiceImplementation {
  ListScheduledQueries: grpc.handleUnaryCall<_caracal_schedule_v1_ListScheduledQueriesRequest__Output, _caracal_schedule_v1_ListScheduledQueriesResponse>;
  
  ListScheduledQueryRuns: grpc.handleUnaryCall<_caracal_schedule_v1_ListScheduledQueryRunsRequest__Output, _caracal_schedule_v1_ListScheduledQueryRunsResponse>;
  
  RunScheduledQuery: grpc.handleUnaryCall<_caracal_schedule_v1_RunScheduledQueryRequest__Output, _caracal_schedule_v1_RunScheduledQueryResponse>;
  
}

export interface ScheduleServiceDefinition extends grpc.ServiceDefinition {
  ListScheduledQueries: MethodDefinition<_caracal_schedule_v1_ListScheduledQueriesRequest, _caracal_schedule_v1_ListScheduledQueriesResponse, _caracal_schedule_v1_ListScheduledQueriesRequest__Output, _caracal_schedule_v1_ListScheduledQueriesResponse__Output>
  ListScheduledQueryRuns: MethodDefinition<_caracal_schedule_v1_ListScheduledQueryRunsRequest, _caracal_schedule_v1_ListScheduledQueryRunsResponse, _caracal_schedule_v1_ListScheduledQueryRunsRequest__Output, _caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>
  RunScheduledQuery: MethodDefinition<_caracal_schedule_v1_RunScheduledQueryRequest, _caracal_schedule_v1_RunScheduledQueryResponse, _caracal_schedule_v1_RunScheduledQueryRequest__Output, _caracal_schedule_v1_RunScheduledQueryResponse__Output>
}
