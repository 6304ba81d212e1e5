// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Detection as _caracal_detection_v1_Detection, Detection__Output as _caracal_detection_v1_Detection__Output } from '../../../caracal/detection/v1/Detection';

export interface ListDetectionsResponse {
  'detections'?: (_caracal_detection_v1_Detection)[];
}

export interface ListDetectionsResponse__Output {
  'detections': (_caracal_detection_v1_Detection__Output)[];
}
