// Original file: ../../proto/caracal/alert/v1/alert_service.proto


export interface ListAlertsRequest {
  'pageSize'?: (number);
  'ruleId'?: (string);
}

export interface ListAlertsRequest__Output {
  'pageSize': (number);
  'ruleId': (string);
}
