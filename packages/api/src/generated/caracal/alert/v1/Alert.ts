// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { Severity as _caracal_alert_v1_Severity, Severity__Output as _caracal_alert_v1_Severity__Output } from '../../../caracal/alert/v1/Severity';
import type { AlertStatus as _caracal_alert_v1_AlertStatus, AlertStatus__Output as _caracal_alert_v1_AlertStatus__Output } from '../../../caracal/alert/v1/AlertStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { AlertType as _caracal_alert_v1_AlertType, AlertType__Output as _caracal_alert_v1_AlertType__Output } from '../../../caracal/alert/v1/AlertType';
import type { Long } from '@grpc/proto-loader';

export interface Alert {
  'alertId'?: (string);
  'ruleId'?: (string);
  'title'?: (string);
  'severity'?: (_caracal_alert_v1_Severity);
  'status'?: (_caracal_alert_v1_AlertStatus);
  'dedup'?: (string);
  'eventCount'?: (number | string | Long);
  'firstEventTime'?: (_google_protobuf_Timestamp | null);
  'lastEventTime'?: (_google_protobuf_Timestamp | null);
  'createdTime'?: (_google_protobuf_Timestamp | null);
  'logType'?: (string);
  'type'?: (_caracal_alert_v1_AlertType);
  'assignee'?: (string);
  'ruleSeverity'?: (_caracal_alert_v1_Severity);
  'threshold'?: (number);
  'dedupPeriodMinutes'?: (number);
  'updatedTime'?: (_google_protobuf_Timestamp | null);
  'alertContextJson'?: (string);
  'description'?: (string);
  'reference'?: (string);
  'runbook'?: (string);
  'tags'?: (string)[];
  'logTypes'?: (string)[];
  'destinationOverride'?: (string)[];
  'hasDestinationOverride'?: (boolean);
  'outputIds'?: (string)[];
  'auxErrors'?: (string)[];
  'errorType'?: (string);
  'errorMessage'?: (string);
}

export interface Alert__Output {
  'alertId': (string);
  'ruleId': (string);
  'title': (string);
  'severity': (_caracal_alert_v1_Severity__Output);
  'status': (_caracal_alert_v1_AlertStatus__Output);
  'dedup': (string);
  'eventCount': (string);
  'firstEventTime': (_google_protobuf_Timestamp__Output | null);
  'lastEventTime': (_google_protobuf_Timestamp__Output | null);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
  'logType': (string);
  'type': (_caracal_alert_v1_AlertType__Output);
  'assignee': (string);
  'ruleSeverity': (_caracal_alert_v1_Severity__Output);
  'threshold': (number);
  'dedupPeriodMinutes': (number);
  'updatedTime': (_google_protobuf_Timestamp__Output | null);
  'alertContextJson': (string);
  'description': (string);
  'reference': (string);
  'runbook': (string);
  'tags': (string)[];
  'logTypes': (string)[];
  'destinationOverride': (string)[];
  'hasDestinationOverride': (boolean);
  'outputIds': (string)[];
  'auxErrors': (string)[];
  'errorType': (string);
  'errorMessage': (string);
}
