// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface ReplayDetectionRequest {
  'ruleId'?: (string);
  'yaml'?: (string);
  'python'?: (string);
  'since'?: (_google_protobuf_Timestamp | null);
  'until'?: (_google_protobuf_Timestamp | null);
}

export interface ReplayDetectionRequest__Output {
  'ruleId': (string);
  'yaml': (string);
  'python': (string);
  'since': (_google_protobuf_Timestamp__Output | null);
  'until': (_google_protobuf_Timestamp__Output | null);
}
