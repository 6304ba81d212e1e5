// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { SourceAuthMode as _caracal_source_v1_SourceAuthMode, SourceAuthMode__Output as _caracal_source_v1_SourceAuthMode__Output } from '../../../caracal/source/v1/SourceAuthMode';
import type { SourceSecretInfo as _caracal_source_v1_SourceSecretInfo, SourceSecretInfo__Output as _caracal_source_v1_SourceSecretInfo__Output } from '../../../caracal/source/v1/SourceSecretInfo';
import type { SourceTransport as _caracal_source_v1_SourceTransport, SourceTransport__Output as _caracal_source_v1_SourceTransport__Output } from '../../../caracal/source/v1/SourceTransport';
import type { S3SourceSettings as _caracal_source_v1_S3SourceSettings, S3SourceSettings__Output as _caracal_source_v1_S3SourceSettings__Output } from '../../../caracal/source/v1/S3SourceSettings';
import type { KafkaSourceSettings as _caracal_source_v1_KafkaSourceSettings, KafkaSourceSettings__Output as _caracal_source_v1_KafkaSourceSettings__Output } from '../../../caracal/source/v1/KafkaSourceSettings';

export interface Source {
  'sourceId'?: (string);
  'label'?: (string);
  'logType'?: (string);
  'authHeader'?: (string);
  'createdTime'?: (_google_protobuf_Timestamp | null);
  'authMode'?: (_caracal_source_v1_SourceAuthMode);
  'rateLimitPerSecond'?: (number);
  'secrets'?: (_caracal_source_v1_SourceSecretInfo)[];
  'transport'?: (_caracal_source_v1_SourceTransport);
  's3'?: (_caracal_source_v1_S3SourceSettings | null);
  'kafka'?: (_caracal_source_v1_KafkaSourceSettings | null);
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
  'transport': (_caracal_source_v1_SourceTransport__Output);
  's3': (_caracal_source_v1_S3SourceSettings__Output | null);
  'kafka': (_caracal_source_v1_KafkaSourceSettings__Output | null);
}
