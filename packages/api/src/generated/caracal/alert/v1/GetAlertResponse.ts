// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { Alert as _caracal_alert_v1_Alert, Alert__Output as _caracal_alert_v1_Alert__Output } from '../../../caracal/alert/v1/Alert';
import type { AlertActivity as _caracal_alert_v1_AlertActivity, AlertActivity__Output as _caracal_alert_v1_AlertActivity__Output } from '../../../caracal/alert/v1/AlertActivity';
import type { AlertDelivery as _caracal_alert_v1_AlertDelivery, AlertDelivery__Output as _caracal_alert_v1_AlertDelivery__Output } from '../../../caracal/alert/v1/AlertDelivery';

export interface GetAlertResponse {
  'alert'?: (_caracal_alert_v1_Alert | null);
  'eventsJson'?: (string)[];
  'activity'?: (_caracal_alert_v1_AlertActivity)[];
  'deliveries'?: (_caracal_alert_v1_AlertDelivery)[];
}

export interface GetAlertResponse__Output {
  'alert': (_caracal_alert_v1_Alert__Output | null);
  'eventsJson': (string)[];
  'activity': (_caracal_alert_v1_AlertActivity__Output)[];
  'deliveries': (_caracal_alert_v1_AlertDelivery__Output)[];
}
