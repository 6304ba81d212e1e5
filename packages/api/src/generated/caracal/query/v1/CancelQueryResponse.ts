// Original file: ../../proto/caracal/query/v1/query_service.proto


export interface CancelQueryResponse {
  'cancelled'?: (boolean);
}

export interface CancelQueryResponse__Output {
  'cancelled': (boolean);
}
