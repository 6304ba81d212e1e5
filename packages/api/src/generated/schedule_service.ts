import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ListScheduledQueriesRequest as _caracal_schedule_v1_ListScheduledQueriesRequest, ListScheduledQueriesRequest__Output as _caracal_schedule_v1_ListScheduledQueriesRequest__Output } from './caracal/schedule/v1/ListScheduledQueriesRequest';
import type { ListScheduledQueriesResponse as _caracal_schedule_v1_ListScheduledQueriesResponse, ListScheduledQueriesResponse__Output as _caracal_schedule_v1_ListScheduledQueriesResponse__Output } from './caracal/schedule/v1/ListScheduledQueriesResponse';
import type { ListScheduledQueryRunsRequest as _caracal_schedule_v1_ListScheduledQueryRunsRequest, ListScheduledQueryRunsRequest__Output as _caracal_schedule_v1_ListScheduledQueryRunsRequest__Output } from './caracal/schedule/v1/ListScheduledQueryRunsRequest';
import type { ListScheduledQueryRunsResponse as _caracal_schedule_v1_ListScheduledQueryRunsResponse, ListScheduledQueryRunsResponse__Output as _caracal_schedule_v1_ListScheduledQueryRunsResponse__Output } from './caracal/schedule/v1/ListScheduledQueryRunsResponse';
import type { RunScheduledQueryRequest as _caracal_schedule_v1_RunScheduledQueryRequest, RunScheduledQueryRequest__Output as _caracal_schedule_v1_RunScheduledQueryRequest__Output } from './caracal/schedule/v1/RunScheduledQueryRequest';
import type { RunScheduledQueryResponse as _caracal_schedule_v1_RunScheduledQueryResponse, RunScheduledQueryResponse__Output as _caracal_schedule_v1_RunScheduledQueryResponse__Output } from './caracal/schedule/v1/RunScheduledQueryResponse';
import type { ScheduleServiceClient as _caracal_schedule_v1_ScheduleServiceClient, ScheduleServiceDefinition as _caracal_schedule_v1_ScheduleServiceDefinition } from './caracal/schedule/v1/ScheduleService';
import type { ScheduledQuery as _caracal_schedule_v1_ScheduledQuery, ScheduledQuery__Output as _caracal_schedule_v1_ScheduledQuery__Output } from './caracal/schedule/v1/ScheduledQuery';
import type { ScheduledQueryRun as _caracal_schedule_v1_ScheduledQueryRun, ScheduledQueryRun__Output as _caracal_schedule_v1_ScheduledQueryRun__Output } from './caracal/schedule/v1/ScheduledQueryRun';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    schedule: {
      v1: {
        ListScheduledQueriesRequest: MessageTypeDefinition<_caracal_schedule_v1_ListScheduledQueriesRequest, _caracal_schedule_v1_ListScheduledQueriesRequest__Output>
        ListScheduledQueriesResponse: MessageTypeDefinition<_caracal_schedule_v1_ListScheduledQueriesResponse, _caracal_schedule_v1_ListScheduledQueriesResponse__Output>
        ListScheduledQueryRunsRequest: MessageTypeDefinition<_caracal_schedule_v1_ListScheduledQueryRunsRequest, _caracal_schedule_v1_ListScheduledQueryRunsRequest__Output>
        ListScheduledQueryRunsResponse: MessageTypeDefinition<_caracal_schedule_v1_ListScheduledQueryRunsResponse, _caracal_schedule_v1_ListScheduledQueryRunsResponse__Output>
        RunScheduledQueryRequest: MessageTypeDefinition<_caracal_schedule_v1_RunScheduledQueryRequest, _caracal_schedule_v1_RunScheduledQueryRequest__Output>
        RunScheduledQueryResponse: MessageTypeDefinition<_caracal_schedule_v1_RunScheduledQueryResponse, _caracal_schedule_v1_RunScheduledQueryResponse__Output>
        ScheduleService: SubtypeConstructor<typeof grpc.Client, _caracal_schedule_v1_ScheduleServiceClient> & { service: _caracal_schedule_v1_ScheduleServiceDefinition }
        ScheduledQuery: MessageTypeDefinition<_caracal_schedule_v1_ScheduledQuery, _caracal_schedule_v1_ScheduledQuery__Output>
        ScheduledQueryRun: MessageTypeDefinition<_caracal_schedule_v1_ScheduledQueryRun, _caracal_schedule_v1_ScheduledQueryRun__Output>
        ScheduledQueryRunOutcome: EnumTypeDefinition
        ScheduledQueryRunTrigger: EnumTypeDefinition
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

