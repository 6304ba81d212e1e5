// Original file: ../../proto/caracal/token/v1/token_service.proto

import type { Token as _caracal_token_v1_Token, Token__Output as _caracal_token_v1_Token__Output } from '../../../caracal/token/v1/Token';

export interface CreateTokenResponse {
  'token'?: (_caracal_token_v1_Token | null);
  'secret'?: (string);
}

export interface CreateTokenResponse__Output {
  'token': (_caracal_token_v1_Token__Output | null);
  'secret': (string);
}
