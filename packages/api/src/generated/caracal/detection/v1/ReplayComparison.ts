// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { ReplayDedupDifference as _caracal_detection_v1_ReplayDedupDifference, ReplayDedupDifference__Output as _caracal_detection_v1_ReplayDedupDifference__Output } from '../../../caracal/detection/v1/ReplayDedupDifference';

export interface ReplayComparison {
  'liveAlerts'?: (number);
  'sameDedups'?: (number);
  'differences'?: (_caracal_detection_v1_ReplayDedupDifference)[];
  'differencesTruncated'?: (boolean);
}

export interface ReplayComparison__Output {
  'liveAlerts': (number);
  'sameDedups': (number);
  'differences': (_caracal_detection_v1_ReplayDedupDifference__Output)[];
  'differencesTruncated': (boolean);
}
