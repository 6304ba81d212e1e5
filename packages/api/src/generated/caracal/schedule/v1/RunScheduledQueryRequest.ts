// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto


export interface RunScheduledQueryRequest {
  'queryName'?: (string);
}

export interface RunScheduledQueryRequest__Output {
  'queryName': (string);
}
