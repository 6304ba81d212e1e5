// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { AlertType as _caracal_alert_v1_AlertType, AlertType__Output as _caracal_alert_v1_AlertType__Output } from '../../../caracal/alert/v1/AlertType';
import type { Severity as _caracal_alert_v1_Severity, Severity__Output as _caracal_alert_v1_Severity__Output } from '../../../caracal/alert/v1/Severity';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface ReplayAlert {
  'type'?: (_caracal_alert_v1_AlertType);
  'title'?: (string);
  'dedup'?: (string);
  'severity'?: (_caracal_alert_v1_Severity);
  'eventCount'?: (number | string | Long);
  'firstEventTime'?: (_google_protobuf_Timestamp | null);
  'lastEventTime'?: (_google_protobuf_Timestamp | null);
  'createdTime'?: (_google_protobuf_Timestamp | null);
  'errorType'?: (string);
  'errorMessage'?: (string);
}

export interface ReplayAlert__Output {
  'type': (_caracal_alert_v1_AlertType__Output);
  'title': (string);
  'dedup': (string);
  'severity': (_caracal_alert_v1_Severity__Output);
  'eventCount': (string);
  'firstEventTime': (_google_protobuf_Timestamp__Output | null);
  'lastEventTime': (_google_protobuf_Timestamp__Output | null);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
  'errorType': (string);
  'errorMessage': (string);
}
