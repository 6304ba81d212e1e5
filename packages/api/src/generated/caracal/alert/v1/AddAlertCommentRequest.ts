// Original file: ../../proto/caracal/alert/v1/alert_service.proto


export interface AddAlertCommentRequest {
  'alertId'?: (string);
  'comment'?: (string);
}

export interface AddAlertCommentRequest__Output {
  'alertId': (string);
  'comment': (string);
}
