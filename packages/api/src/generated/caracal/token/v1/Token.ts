// Original file: ../../proto/caracal/token/v1/token_service.proto

import type { Role as _caracal_token_v1_Role, Role__Output as _caracal_token_v1_Role__Output } from '../../../caracal/token/v1/Role';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface Token {
  'tokenId'?: (string);
  'name'?: (string);
  'role'?: (_caracal_token_v1_Role);
  'createdTime'?: (_google_protobuf_Timestamp | null);
}

export interface Token__Output {
  'tokenId': (string);
  'name': (string);
  'role': (_caracal_token_v1_Role__Output);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
}
