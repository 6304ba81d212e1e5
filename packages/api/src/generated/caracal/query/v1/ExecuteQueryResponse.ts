// Original file: ../../proto/caracal/query/v1/query_service.proto

import type { Column as _caracal_query_v1_Column, Column__Output as _caracal_query_v1_Column__Output } from '../../../caracal/query/v1/Column';
import type { Long } from '@grpc/proto-loader';

export interface ExecuteQueryResponse {
  'queryId'?: (string);
  'columns'?: (_caracal_query_v1_Column)[];
  'rowsJson'?: (string)[];
  'rowCount'?: (number | string | Long);
  'elapsedSeconds'?: (number | string);
}

export interface ExecuteQueryResponse__Output {
  'queryId': (string);
  'columns': (_caracal_query_v1_Column__Output)[];
  'rowsJson': (string)[];
  'rowCount': (string);
  'elapsedSeconds': (number);
}
