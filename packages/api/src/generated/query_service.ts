import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Column as _caracal_query_v1_Column, Column__Output as _caracal_query_v1_Column__Output } from './caracal/query/v1/Column';
import type { ExecuteQueryRequest as _caracal_query_v1_ExecuteQueryRequest, ExecuteQueryRequest__Output as _caracal_query_v1_ExecuteQueryRequest__Output } from './caracal/query/v1/ExecuteQueryRequest';
import type { ExecuteQueryResponse as _caracal_query_v1_ExecuteQueryResponse, ExecuteQueryResponse__Output as _caracal_query_v1_ExecuteQueryResponse__Output } from './caracal/query/v1/ExecuteQueryResponse';
import type { QueryServiceClient as _caracal_query_v1_QueryServiceClient, QueryServiceDefinition as _caracal_query_v1_QueryServiceDefinition } from './caracal/query/v1/QueryService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    query: {
      v1: {
        Column: MessageTypeDefinition<_caracal_query_v1_Column, _caracal_query_v1_Column__Output>
        ExecuteQueryRequest: MessageTypeDefinition<_caracal_query_v1_ExecuteQueryRequest, _caracal_query_v1_ExecuteQueryRequest__Output>
        ExecuteQueryResponse: MessageTypeDefinition<_caracal_query_v1_ExecuteQueryResponse, _caracal_query_v1_ExecuteQueryResponse__Output>
        QueryService: SubtypeConstructor<typeof grpc.Client, _caracal_query_v1_QueryServiceClient> & { service: _caracal_query_v1_QueryServiceDefinition }
      }
    }
  }
}

