// Original file: ../../proto/caracal/token/v1/token_service.proto


export interface RevokeTokenRequest {
  'tokenId'?: (string);
}

export interface RevokeTokenRequest__Output {
  'tokenId': (string);
}
