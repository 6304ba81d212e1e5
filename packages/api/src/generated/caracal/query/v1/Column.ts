// Original file: ../../proto/caracal/query/v1/query_service.proto


export interface Column {
  'name'?: (string);
  'type'?: (string);
}

export interface Column__Output {
  'name': (string);
  'type': (string);
}
