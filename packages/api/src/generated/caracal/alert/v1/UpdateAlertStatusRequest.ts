// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { AlertStatus as _caracal_alert_v1_AlertStatus, AlertStatus__Output as _caracal_alert_v1_AlertStatus__Output } from '../../../caracal/alert/v1/AlertStatus';

export interface UpdateAlertStatusRequest {
  'alertIds'?: (string)[];
  'status'?: (_caracal_alert_v1_AlertStatus);
}

export interface UpdateAlertStatusRequest__Output {
  'alertIds': (string)[];
  'status': (_caracal_alert_v1_AlertStatus__Output);
}
