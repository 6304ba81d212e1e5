// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Severity as _caracal_alert_v1_Severity, Severity__Output as _caracal_alert_v1_Severity__Output } from '../../../caracal/alert/v1/Severity';
import type { DetectionOrigin as _caracal_detection_v1_DetectionOrigin, DetectionOrigin__Output as _caracal_detection_v1_DetectionOrigin__Output } from '../../../caracal/detection/v1/DetectionOrigin';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface Detection {
  'ruleId'?: (string);
  'displayName'?: (string);
  'enabled'?: (boolean);
  'logTypes'?: (string)[];
  'severity'?: (_caracal_alert_v1_Severity);
  'dedupPeriodMinutes'?: (number);
  'threshold'?: (number);
  'description'?: (string);
  'tags'?: (string)[];
  'origin'?: (_caracal_detection_v1_DetectionOrigin);
  'version'?: (number | string | Long);
  'updatedBy'?: (string);
  'updatedTime'?: (_google_protobuf_Timestamp | null);
  'testCount'?: (number);
}

export interface Detection__Output {
  'ruleId': (string);
  'displayName': (string);
  'enabled': (boolean);
  'logTypes': (string)[];
  'severity': (_caracal_alert_v1_Severity__Output);
  'dedupPeriodMinutes': (number);
  'threshold': (number);
  'description': (string);
  'tags': (string)[];
  'origin': (_caracal_detection_v1_DetectionOrigin__Output);
  'version': (string);
  'updatedBy': (string);
  'updatedTime': (_google_protobuf_Timestamp__Output | null);
  'testCount': (number);
}
