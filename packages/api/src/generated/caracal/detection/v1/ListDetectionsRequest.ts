// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface ListDetectionsRequest {
  'logType'?: (string);
}

export interface ListDetectionsRequest__Output {
  'logType': (string);
}
