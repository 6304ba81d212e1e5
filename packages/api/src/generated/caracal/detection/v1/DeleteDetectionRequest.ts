// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface DeleteDetectionRequest {
  'ruleId'?: (string);
}

export interface DeleteDetectionRequest__Output {
  'ruleId': (string);
}
