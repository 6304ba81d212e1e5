// Original file: ../../proto/caracal/query/v1/query_service.proto

import type { Long } from '@grpc/proto-loader';

export interface QuerySummary {
  'rowCount'?: (number | string | Long);
  'elapsedSeconds'?: (number | string);
}

export interface QuerySummary__Output {
  'rowCount': (string);
  'elapsedSeconds': (number);
}
