// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { SourceAuthMode as _caracal_source_v1_SourceAuthMode, SourceAuthMode__Output as _caracal_source_v1_SourceAuthMode__Output } from '../../../caracal/source/v1/SourceAuthMode';
import type { SourceSecretInfo as _caracal_source_v1_SourceSecretInfo, SourceSecretInfo__Output as _caracal_source_v1_SourceSecretInfo__Output } from '../../../caracal/source/v1/SourceSecretInfo';

export interface Source {
  'sourceId'?: (string);
  'label'?: (string);
  'logType'?: (string);
  'authHeader'?: (string);
  'createdTime'?: (_google_protobuf_Timestamp | null);
  'authMode'?: (_caracal_source_v1_SourceAuthMode);
  'rateLimitPerSecond'?: (number);
  'secrets'?: (_caracal_source_v1_SourceSecretInfo)[];
}

export interface Source__Output {
  'sourceId': (string);
  'label': (string);
  'logType': (string);
  'authHeader': (string);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
  'authMode': (_caracal_source_v1_SourceAuthMode__Output);
  'rateLimitPerSecond': (number);
  'secrets': (_caracal_source_v1_SourceSecretInfo__Output)[];
}
