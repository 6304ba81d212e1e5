// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { AlertActivity as _caracal_alert_v1_AlertActivity, AlertActivity__Output as _caracal_alert_v1_AlertActivity__Output } from '../../../caracal/alert/v1/AlertActivity';

export interface AddAlertCommentResponse {
  'activity'?: (_caracal_alert_v1_AlertActivity | null);
}

export interface AddAlertCommentResponse__Output {
  'activity': (_caracal_alert_v1_AlertActivity__Output | null);
}
