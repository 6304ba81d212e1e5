// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { AlertActivityKind as _caracal_alert_v1_AlertActivityKind, AlertActivityKind__Output as _caracal_alert_v1_AlertActivityKind__Output } from '../../../caracal/alert/v1/AlertActivityKind';
import type { AlertStatus as _caracal_alert_v1_AlertStatus, AlertStatus__Output as _caracal_alert_v1_AlertStatus__Output } from '../../../caracal/alert/v1/AlertStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface AlertActivity {
  'activityId'?: (string);
  'kind'?: (_caracal_alert_v1_AlertActivityKind);
  'status'?: (_caracal_alert_v1_AlertStatus);
  'assignee'?: (string);
  'comment'?: (string);
  'actor'?: (string);
  'createdTime'?: (_google_protobuf_Timestamp | null);
}

export interface AlertActivity__Output {
  'activityId': (string);
  'kind': (_caracal_alert_v1_AlertActivityKind__Output);
  'status': (_caracal_alert_v1_AlertStatus__Output);
  'assignee': (string);
  'comment': (string);
  'actor': (string);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
}
