// Original file: ../../proto/caracal/alert/v1/alert_service.proto


export interface GetAlertRequest {
  'alertId'?: (string);
  'eventPageSize'?: (number);
}

export interface GetAlertRequest__Output {
  'alertId': (string);
  'eventPageSize': (number);
}
