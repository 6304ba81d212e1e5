// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { AlertType as _caracal_alert_v1_AlertType, AlertType__Output as _caracal_alert_v1_AlertType__Output } from '../../../caracal/alert/v1/AlertType';

export interface ReplayDedupDifference {
  'dedup'?: (string);
  'type'?: (_caracal_alert_v1_AlertType);
  'replayAlerts'?: (number);
  'liveAlerts'?: (number);
}

export interface ReplayDedupDifference__Output {
  'dedup': (string);
  'type': (_caracal_alert_v1_AlertType__Output);
  'replayAlerts': (number);
  'liveAlerts': (number);
}
