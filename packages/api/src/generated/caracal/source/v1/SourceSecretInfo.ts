// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface SourceSecretInfo {
  'secretId'?: (string);
  'createdTime'?: (_google_protobuf_Timestamp | null);
  'expireTime'?: (_google_protobuf_Timestamp | null);
}

export interface SourceSecretInfo__Output {
  'secretId': (string);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
  'expireTime': (_google_protobuf_Timestamp__Output | null);
}
