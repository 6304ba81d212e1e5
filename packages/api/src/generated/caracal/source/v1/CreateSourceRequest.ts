// Original file: ../../proto/caracal/source/v1/source_service.proto


export interface CreateSourceRequest {
  'sourceId'?: (string);
  'label'?: (string);
  'logType'?: (string);
  'secretHeader'?: (string);
}

export interface CreateSourceRequest__Output {
  'sourceId': (string);
  'label': (string);
  'logType': (string);
  'secretHeader': (string);
}
