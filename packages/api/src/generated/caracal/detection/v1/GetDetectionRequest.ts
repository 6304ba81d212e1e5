// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface GetDetectionRequest {
  'ruleId'?: (string);
}

export interface GetDetectionRequest__Output {
  'ruleId': (string);
}
