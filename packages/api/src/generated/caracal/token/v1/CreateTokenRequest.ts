// Original file: ../../proto/caracal/token/v1/token_service.proto

import type { Role as _caracal_token_v1_Role, Role__Output as _caracal_token_v1_Role__Output } from '../../../caracal/token/v1/Role';

export interface CreateTokenRequest {
  'name'?: (string);
  'role'?: (_caracal_token_v1_Role);
}

export interface CreateTokenRequest__Output {
  'name': (string);
  'role': (_caracal_token_v1_Role__Output);
}
