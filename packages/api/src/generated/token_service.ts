import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateTokenRequest as _caracal_token_v1_CreateTokenRequest, CreateTokenRequest__Output as _caracal_token_v1_CreateTokenRequest__Output } from './caracal/token/v1/CreateTokenRequest';
import type { CreateTokenResponse as _caracal_token_v1_CreateTokenResponse, CreateTokenResponse__Output as _caracal_token_v1_CreateTokenResponse__Output } from './caracal/token/v1/CreateTokenResponse';
import type { ListTokensRequest as _caracal_token_v1_ListTokensRequest, ListTokensRequest__Output as _caracal_token_v1_ListTokensRequest__Output } from './caracal/token/v1/ListTokensRequest';
import type { ListTokensResponse as _caracal_token_v1_ListTokensResponse, ListTokensResponse__Output as _caracal_token_v1_ListTokensResponse__Output } from './caracal/token/v1/ListTokensResponse';
import type { RevokeTokenRequest as _caracal_token_v1_RevokeTokenRequest, RevokeTokenRequest__Output as _caracal_token_v1_RevokeTokenRequest__Output } from './caracal/token/v1/RevokeTokenRequest';
import type { RevokeTokenResponse as _caracal_token_v1_RevokeTokenResponse, RevokeTokenResponse__Output as _caracal_token_v1_RevokeTokenResponse__Output } from './caracal/token/v1/RevokeTokenResponse';
import type { Token as _caracal_token_v1_Token, Token__Output as _caracal_token_v1_Token__Output } from './caracal/token/v1/Token';
import type { TokenServiceClient as _caracal_token_v1_TokenServiceClient, TokenServiceDefinition as _caracal_token_v1_TokenServiceDefinition } from './caracal/token/v1/TokenService';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    token: {
      v1: {
        CreateTokenRequest: MessageTypeDefinition<_caracal_token_v1_CreateTokenRequest, _caracal_token_v1_CreateTokenRequest__Output>
        CreateTokenResponse: MessageTypeDefinition<_caracal_token_v1_CreateTokenResponse, _caracal_token_v1_CreateTokenResponse__Output>
        ListTokensRequest: MessageTypeDefinition<_caracal_token_v1_ListTokensRequest, _caracal_token_v1_ListTokensRequest__Output>
        ListTokensResponse: MessageTypeDefinition<_caracal_token_v1_ListTokensResponse, _caracal_token_v1_ListTokensResponse__Output>
        RevokeTokenRequest: MessageTypeDefinition<_caracal_token_v1_RevokeTokenRequest, _caracal_token_v1_RevokeTokenRequest__Output>
        RevokeTokenResponse: MessageTypeDefinition<_caracal_token_v1_RevokeTokenResponse, _caracal_token_v1_RevokeTokenResponse__Output>
        Role: EnumTypeDefinition
        Token: MessageTypeDefinition<_caracal_token_v1_Token, _caracal_token_v1_Token__Output>
        TokenService: SubtypeConstructor<typeof grpc.Client, _caracal_token_v1_TokenServiceClient> & { service: _caracal_token_v1_TokenServiceDefinition }
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

