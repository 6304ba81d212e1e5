// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { ReplayProgress as _caracal_detection_v1_ReplayProgress, ReplayProgress__Output as _caracal_detection_v1_ReplayProgress__Output } from '../../../caracal/detection/v1/ReplayProgress';
import type { ReplayReport as _caracal_detection_v1_ReplayReport, ReplayReport__Output as _caracal_detection_v1_ReplayReport__Output } from '../../../caracal/detection/v1/ReplayReport';

export interface ReplayDetectionResponse {
  'progress'?: (_caracal_detection_v1_ReplayProgress | null);
  'report'?: (_caracal_detection_v1_ReplayReport | null);
  'part'?: "progress"|"report";
}

export interface ReplayDetectionResponse__Output {
  'progress'?: (_caracal_detection_v1_ReplayProgress__Output | null);
  'report'?: (_caracal_detection_v1_ReplayReport__Output | null);
  'part'?: "progress"|"report";
}
