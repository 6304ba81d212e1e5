// Original file: ../../proto/caracal/query/v1/query_service.proto

import type { Column as _caracal_query_v1_Column, Column__Output as _caracal_query_v1_Column__Output } from '../../../caracal/query/v1/Column';

export interface QueryColumns {
  'columns'?: (_caracal_query_v1_Column)[];
}

export interface QueryColumns__Output {
  'columns': (_caracal_query_v1_Column__Output)[];
}
