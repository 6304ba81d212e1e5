// Original file: ../../proto/caracal/source/v1/source_service.proto


export interface DeleteSourceRequest {
  'sourceId'?: (string);
}

export interface DeleteSourceRequest__Output {
  'sourceId': (string);
}
