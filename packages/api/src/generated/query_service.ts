import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CancelQueryRequest as _caracal_query_v1_CancelQueryRequest, CancelQueryRequest__Output as _caracal_query_v1_CancelQueryRequest__Output } from './caracal/query/v1/CancelQueryRequest';
import type { CancelQueryResponse as _caracal_query_v1_CancelQueryResponse, CancelQueryResponse__Output as _caracal_query_v1_CancelQueryResponse__Output } from './caracal/query/v1/CancelQueryResponse';
import type { Column as _caracal_query_v1_Column, Column__Output as _caracal_query_v1_Column__Output } from './caracal/query/v1/Column';
import type { ExecuteQueryRequest as _caracal_query_v1_ExecuteQueryRequest, ExecuteQueryRequest__Output as _caracal_query_v1_ExecuteQueryRequest__Output } from './caracal/query/v1/ExecuteQueryRequest';
import type { ExecuteQueryResponse as _caracal_query_v1_ExecuteQueryResponse, ExecuteQueryResponse__Output as _caracal_query_v1_ExecuteQueryResponse__Output } from './caracal/query/v1/ExecuteQueryResponse';
import type { QueryColumns as _caracal_query_v1_QueryColumns, QueryColumns__Output as _caracal_query_v1_QueryColumns__Output } from './caracal/query/v1/QueryColumns';
import type { QueryHeader as _caracal_query_v1_QueryHeader, QueryHeader__Output as _caracal_query_v1_QueryHeader__Output } from './caracal/query/v1/QueryHeader';
import type { QueryServiceClient as _caracal_query_v1_QueryServiceClient, QueryServiceDefinition as _caracal_query_v1_QueryServiceDefinition } from './caracal/query/v1/QueryService';
import type { QuerySummary as _caracal_query_v1_QuerySummary, QuerySummary__Output as _caracal_query_v1_QuerySummary__Output } from './caracal/query/v1/QuerySummary';
import type { RowChunk as _caracal_query_v1_RowChunk, RowChunk__Output as _caracal_query_v1_RowChunk__Output } from './caracal/query/v1/RowChunk';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    query: {
      v1: {
        CancelQueryRequest: MessageTypeDefinition<_caracal_query_v1_CancelQueryRequest, _caracal_query_v1_CancelQueryRequest__Output>
        CancelQueryResponse: MessageTypeDefinition<_caracal_query_v1_CancelQueryResponse, _caracal_query_v1_CancelQueryResponse__Output>
        Column: MessageTypeDefinition<_caracal_query_v1_Column, _caracal_query_v1_Column__Output>
        ExecuteQueryRequest: MessageTypeDefinition<_caracal_query_v1_ExecuteQueryRequest, _caracal_query_v1_ExecuteQueryRequest__Output>
        ExecuteQueryResponse: MessageTypeDefinition<_caracal_query_v1_ExecuteQueryResponse, _caracal_query_v1_ExecuteQueryResponse__Output>
        QueryColumns: MessageTypeDefinition<_caracal_query_v1_QueryColumns, _caracal_query_v1_QueryColumns__Output>
        QueryHeader: MessageTypeDefinition<_caracal_query_v1_QueryHeader, _caracal_query_v1_QueryHeader__Output>
        QueryService: SubtypeConstructor<typeof grpc.Client, _caracal_query_v1_QueryServiceClient> & { service: _caracal_query_v1_QueryServiceDefinition }
        QuerySummary: MessageTypeDefinition<_caracal_query_v1_QuerySummary, _caracal_query_v1_QuerySummary__Output>
        RowChunk: MessageTypeDefinition<_caracal_query_v1_RowChunk, _caracal_query_v1_RowChunk__Output>
      }
    }
  }
}

