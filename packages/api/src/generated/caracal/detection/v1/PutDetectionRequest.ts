// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface PutDetectionRequest {
  'yaml'?: (string);
  'python'?: (string);
  'skipTests'?: (boolean);
}

export interface PutDetectionRequest__Output {
  'yaml': (string);
  'python': (string);
  'skipTests': (boolean);
}
