// Original file: ../../proto/caracal/token/v1/token_service.proto

import type { Token as _caracal_token_v1_Token, Token__Output as _caracal_token_v1_Token__Output } from '../../../caracal/token/v1/Token';

export interface ListTokensResponse {
  'tokens'?: (_caracal_token_v1_Token)[];
}

export interface ListTokensResponse__Output {
  'tokens': (_caracal_token_v1_Token__Output)[];
}
