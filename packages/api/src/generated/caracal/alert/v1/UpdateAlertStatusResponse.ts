// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { Alert as _caracal_alert_v1_Alert, Alert__Output as _caracal_alert_v1_Alert__Output } from '../../../caracal/alert/v1/Alert';

export interface UpdateAlertStatusResponse {
  'alerts'?: (_caracal_alert_v1_Alert)[];
}

export interface UpdateAlertStatusResponse__Output {
  'alerts': (_caracal_alert_v1_Alert__Output)[];
}
