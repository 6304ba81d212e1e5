// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto


export interface ListScheduledQueryRunsRequest {
  'queryName'?: (string);
  'limit'?: (number);
}

export interface ListScheduledQueryRunsRequest__Output {
  'queryName': (string);
  'limit': (number);
}
