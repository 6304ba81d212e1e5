// Original file: ../../proto/caracal/query/v1/query_service.proto


export interface RowChunk {
  'rowsJson'?: (string)[];
}

export interface RowChunk__Output {
  'rowsJson': (string)[];
}
