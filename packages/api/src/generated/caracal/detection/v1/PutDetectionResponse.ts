// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Detection as _caracal_detection_v1_Detection, Detection__Output as _caracal_detection_v1_Detection__Output } from '../../../caracal/detection/v1/Detection';
import type { TestResult as _caracal_detection_v1_TestResult, TestResult__Output as _caracal_detection_v1_TestResult__Output } from '../../../caracal/detection/v1/TestResult';

export interface PutDetectionResponse {
  'detection'?: (_caracal_detection_v1_Detection | null);
  'replaced'?: (boolean);
  'testResults'?: (_caracal_detection_v1_TestResult)[];
}

export interface PutDetectionResponse__Output {
  'detection': (_caracal_detection_v1_Detection__Output | null);
  'replaced': (boolean);
  'testResults': (_caracal_detection_v1_TestResult__Output)[];
}
