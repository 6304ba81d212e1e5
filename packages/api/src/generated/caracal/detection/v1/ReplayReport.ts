// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { ReplayAlert as _caracal_detection_v1_ReplayAlert, ReplayAlert__Output as _caracal_detection_v1_ReplayAlert__Output } from '../../../caracal/detection/v1/ReplayAlert';
import type { ReplayComparison as _caracal_detection_v1_ReplayComparison, ReplayComparison__Output as _caracal_detection_v1_ReplayComparison__Output } from '../../../caracal/detection/v1/ReplayComparison';
import type { ReplayCost as _caracal_detection_v1_ReplayCost, ReplayCost__Output as _caracal_detection_v1_ReplayCost__Output } from '../../../caracal/detection/v1/ReplayCost';
import type { Long } from '@grpc/proto-loader';

export interface ReplayReport {
  'ruleId'?: (string);
  'logTypes'?: (string)[];
  'since'?: (_google_protobuf_Timestamp | null);
  'until'?: (_google_protobuf_Timestamp | null);
  'eventsRead'?: (number | string | Long);
  'eventsMatched'?: (number | string | Long);
  'ruleErrors'?: (number | string | Long);
  'alertCount'?: (number);
  'alerts'?: (_caracal_detection_v1_ReplayAlert)[];
  'alertsTruncated'?: (boolean);
  'errorAlertCount'?: (number);
  'errorAlerts'?: (_caracal_detection_v1_ReplayAlert)[];
  'comparison'?: (_caracal_detection_v1_ReplayComparison | null);
  'cost'?: (_caracal_detection_v1_ReplayCost | null);
  'errorAlertsTruncated'?: (boolean);
}

export interface ReplayReport__Output {
  'ruleId': (string);
  'logTypes': (string)[];
  'since': (_google_protobuf_Timestamp__Output | null);
  'until': (_google_protobuf_Timestamp__Output | null);
  'eventsRead': (string);
  'eventsMatched': (string);
  'ruleErrors': (string);
  'alertCount': (number);
  'alerts': (_caracal_detection_v1_ReplayAlert__Output)[];
  'alertsTruncated': (boolean);
  'errorAlertCount': (number);
  'errorAlerts': (_caracal_detection_v1_ReplayAlert__Output)[];
  'comparison': (_caracal_detection_v1_ReplayComparison__Output | null);
  'cost': (_caracal_detection_v1_ReplayCost__Output | null);
  'errorAlertsTruncated': (boolean);
}
