// Original file: ../../proto/caracal/query/v1/query_service.proto

import type { QueryHeader as _caracal_query_v1_QueryHeader, QueryHeader__Output as _caracal_query_v1_QueryHeader__Output } from '../../../caracal/query/v1/QueryHeader';
import type { RowChunk as _caracal_query_v1_RowChunk, RowChunk__Output as _caracal_query_v1_RowChunk__Output } from '../../../caracal/query/v1/RowChunk';
import type { QuerySummary as _caracal_query_v1_QuerySummary, QuerySummary__Output as _caracal_query_v1_QuerySummary__Output } from '../../../caracal/query/v1/QuerySummary';
import type { QueryColumns as _caracal_query_v1_QueryColumns, QueryColumns__Output as _caracal_query_v1_QueryColumns__Output } from '../../../caracal/query/v1/QueryColumns';

export interface ExecuteQueryResponse {
  'header'?: (_caracal_query_v1_QueryHeader | null);
  'rows'?: (_caracal_query_v1_RowChunk | null);
  'summary'?: (_caracal_query_v1_QuerySummary | null);
  'columns'?: (_caracal_query_v1_QueryColumns | null);
  'part'?: "header"|"rows"|"summary"|"columns";
}

export interface ExecuteQueryResponse__Output {
  'header'?: (_caracal_query_v1_QueryHeader__Output | null);
  'rows'?: (_caracal_query_v1_RowChunk__Output | null);
  'summary'?: (_caracal_query_v1_QuerySummary__Output | null);
  'columns'?: (_caracal_query_v1_QueryColumns__Output | null);
  'part'?: "header"|"rows"|"summary"|"columns";
}
