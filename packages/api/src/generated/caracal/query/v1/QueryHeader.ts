// Original file: ../../proto/caracal/query/v1/query_service.proto


export interface QueryHeader {
  'queryId'?: (string);
}

export interface QueryHeader__Output {
  'queryId': (string);
}
