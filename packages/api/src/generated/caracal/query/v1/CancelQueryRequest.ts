// Original file: ../../proto/caracal/query/v1/query_service.proto


export interface CancelQueryRequest {
  'queryId'?: (string);
}

export interface CancelQueryRequest__Output {
  'queryId': (string);
}
