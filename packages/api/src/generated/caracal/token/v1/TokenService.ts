// Original file: ../../proto/caracal/token/v1/token_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateTokenRequest as _caracal_token_v1_CreateTokenRequest, CreateTokenRequest__Output as _caracal_token_v1_CreateTokenRequest__Output } from '../../../caracal/token/v1/CreateTokenRequest';
import type { CreateTokenResponse as _caracal_token_v1_CreateTokenResponse, CreateTokenResponse__Output as _caracal_token_v1_CreateTokenResponse__Output } from '../../../caracal/token/v1/CreateTokenResponse';
import type { ListTokensRequest as _caracal_token_v1_ListTokensRequest, ListTokensRequest__Output as _caracal_token_v1_ListTokensRequest__Output } from '../../../caracal/token/v1/ListTokensRequest';
import type { ListTokensResponse as _caracal_token_v1_ListTokensResponse, ListTokensResponse__Output as _caracal_token_v1_ListTokensResponse__Output } from '../../../caracal/token/v1/ListTokensResponse';
import type { RevokeTokenRequest as _caracal_token_v1_RevokeTokenRequest, RevokeTokenRequest__Output as _caracal_token_v1_RevokeTokenRequest__Output } from '../../../caracal/token/v1/RevokeTokenRequest';
import type { RevokeTokenResponse as _caracal_token_v1_RevokeTokenResponse, RevokeTokenResponse__Output as _caracal_token_v1_RevokeTokenResponse__Output } from '../../../caracal/token/v1/RevokeTokenResponse';

export interface TokenServiceClient extends grpc.Client {
  CreateToken(argument: _caracal_token_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _caracal_token_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _caracal_token_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  CreateToken(argument: _caracal_token_v1_CreateTokenRequest, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _caracal_token_v1_CreateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _caracal_token_v1_CreateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _caracal_token_v1_CreateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  createToken(argument: _caracal_token_v1_CreateTokenRequest, callback: grpc.requestCallback<_caracal_token_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  
  ListTokens(argument: _caracal_token_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _caracal_token_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _caracal_token_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  ListTokens(argument: _caracal_token_v1_ListTokensRequest, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _caracal_token_v1_ListTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _caracal_token_v1_ListTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _caracal_token_v1_ListTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  listTokens(argument: _caracal_token_v1_ListTokensRequest, callback: grpc.requestCallback<_caracal_token_v1_ListTokensResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeToken(argument: _caracal_token_v1_RevokeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _caracal_token_v1_RevokeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _caracal_token_v1_RevokeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  RevokeToken(argument: _caracal_token_v1_RevokeTokenRequest, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _caracal_token_v1_RevokeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _caracal_token_v1_RevokeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _caracal_token_v1_RevokeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  revokeToken(argument: _caracal_token_v1_RevokeTokenRequest, callback: grpc.requestCallback<_caracal_token_v1_RevokeTokenResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TokenServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateToken: grpc.handleUnaryCall<_caracal_token_v1_CreateTokenRequest__Output, _caracal_token_v1_CreateTokenResponse>;
  
  ListTokens: grpc.handleUnaryCall<_caracal_token_v1_ListTokensRequest__Output, _caracal_token_v1_ListTokensResponse>;
  
  RevokeToken: grpc.handleUnaryCall<_caracal_token_v1_RevokeTokenRequest__Output, _caracal_token_v1_RevokeTokenResponse>;
  
}

export interface TokenServiceDefinition extends grpc.ServiceDefinition {
  CreateToken: MethodDefinition<_caracal_token_v1_CreateTokenRequest, _caracal_token_v1_CreateTokenResponse, _caracal_token_v1_CreateTokenRequest__Output, _caracal_token_v1_CreateTokenResponse__Output>
  ListTokens: MethodDefinition<_caracal_token_v1_ListTokensRequest, _caracal_token_v1_ListTokensResponse, _caracal_token_v1_ListTokensRequest__Output, _caracal_token_v1_ListTokensResponse__Output>
  RevokeToken: MethodDefinition<_caracal_token_v1_RevokeTokenRequest, _caracal_token_v1_RevokeTokenResponse, _caracal_token_v1_RevokeTokenRequest__Output, _caracal_token_v1_RevokeTokenResponse__Output>
}
