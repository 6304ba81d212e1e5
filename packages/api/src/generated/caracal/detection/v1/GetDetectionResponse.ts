// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Detection as _caracal_detection_v1_Detection, Detection__Output as _caracal_detection_v1_Detection__Output } from '../../../caracal/detection/v1/Detection';

export interface GetDetectionResponse {
  'detection'?: (_caracal_detection_v1_Detection | null);
  'yaml'?: (string);
  'python'?: (string);
}

export interface GetDetectionResponse__Output {
  'detection': (_caracal_detection_v1_Detection__Output | null);
  'yaml': (string);
  'python': (string);
}
