// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { Alert as _caracal_alert_v1_Alert, Alert__Output as _caracal_alert_v1_Alert__Output } from '../../../caracal/alert/v1/Alert';

export interface UpdateAlertAssigneeResponse {
  'alert'?: (_caracal_alert_v1_Alert | null);
}

export interface UpdateAlertAssigneeResponse__Output {
  'alert': (_caracal_alert_v1_Alert__Output | null);
}
