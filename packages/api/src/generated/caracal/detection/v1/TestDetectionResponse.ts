// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { TestResult as _caracal_detection_v1_TestResult, TestResult__Output as _caracal_detection_v1_TestResult__Output } from '../../../caracal/detection/v1/TestResult';
import type { EventResult as _caracal_detection_v1_EventResult, EventResult__Output as _caracal_detection_v1_EventResult__Output } from '../../../caracal/detection/v1/EventResult';

export interface TestDetectionResponse {
  'testResults'?: (_caracal_detection_v1_TestResult)[];
  'eventResults'?: (_caracal_detection_v1_EventResult)[];
  'passed'?: (boolean);
}

export interface TestDetectionResponse__Output {
  'testResults': (_caracal_detection_v1_TestResult__Output)[];
  'eventResults': (_caracal_detection_v1_EventResult__Output)[];
  'passed': (boolean);
}
