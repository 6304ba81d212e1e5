// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface TestResult {
  'name'?: (string);
  'passed'?: (boolean);
  'expectedResult'?: (boolean);
  'reason'?: (string);
}

export interface TestResult__Output {
  'name': (string);
  'passed': (boolean);
  'expectedResult': (boolean);
  'reason': (string);
}
