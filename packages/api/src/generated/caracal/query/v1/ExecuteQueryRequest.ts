// Original file: ../../proto/caracal/query/v1/query_service.proto


export interface ExecuteQueryRequest {
  'sql'?: (string);
}

export interface ExecuteQueryRequest__Output {
  'sql': (string);
}
