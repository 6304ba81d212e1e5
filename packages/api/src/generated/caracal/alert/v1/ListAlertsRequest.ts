// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { AlertStatus as _caracal_alert_v1_AlertStatus, AlertStatus__Output as _caracal_alert_v1_AlertStatus__Output } from '../../../caracal/alert/v1/AlertStatus';
import type { Severity as _caracal_alert_v1_Severity, Severity__Output as _caracal_alert_v1_Severity__Output } from '../../../caracal/alert/v1/Severity';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { AlertType as _caracal_alert_v1_AlertType, AlertType__Output as _caracal_alert_v1_AlertType__Output } from '../../../caracal/alert/v1/AlertType';

export interface ListAlertsRequest {
  'pageSize'?: (number);
  'ruleId'?: (string);
  'statuses'?: (_caracal_alert_v1_AlertStatus)[];
  'severities'?: (_caracal_alert_v1_Severity)[];
  'createdAfter'?: (_google_protobuf_Timestamp | null);
  'createdBefore'?: (_google_protobuf_Timestamp | null);
  'pageToken'?: (string);
  'types'?: (_caracal_alert_v1_AlertType)[];
}

export interface ListAlertsRequest__Output {
  'pageSize': (number);
  'ruleId': (string);
  'statuses': (_caracal_alert_v1_AlertStatus__Output)[];
  'severities': (_caracal_alert_v1_Severity__Output)[];
  'createdAfter': (_google_protobuf_Timestamp__Output | null);
  'createdBefore': (_google_protobuf_Timestamp__Output | null);
  'pageToken': (string);
  'types': (_caracal_alert_v1_AlertType__Output)[];
}
