// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface TestDetectionRequest {
  'ruleId'?: (string);
  'yaml'?: (string);
  'python'?: (string);
  'eventsJson'?: (string)[];
}

export interface TestDetectionRequest__Output {
  'ruleId': (string);
  'yaml': (string);
  'python': (string);
  'eventsJson': (string)[];
}
