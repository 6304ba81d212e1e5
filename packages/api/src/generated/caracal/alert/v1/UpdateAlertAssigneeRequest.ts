// Original file: ../../proto/caracal/alert/v1/alert_service.proto


export interface UpdateAlertAssigneeRequest {
  'alertId'?: (string);
  'assignee'?: (string);
}

export interface UpdateAlertAssigneeRequest__Output {
  'alertId': (string);
  'assignee': (string);
}
