// Original file: ../../proto/caracal/source/v1/source_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSourceRequest as _caracal_source_v1_CreateSourceRequest, CreateSourceRequest__Output as _caracal_source_v1_CreateSourceRequest__Output } from '../../../caracal/source/v1/CreateSourceRequest';
import type { CreateSourceResponse as _caracal_source_v1_CreateSourceResponse, CreateSourceResponse__Output as _caracal_source_v1_CreateSourceResponse__Output } from '../../../caracal/source/v1/CreateSourceResponse';
import type { DeleteSourceRequest as _caracal_source_v1_DeleteSourceRequest, DeleteSourceRequest__Output as _caracal_source_v1_DeleteSourceRequest__Output } from '../../../caracal/source/v1/DeleteSourceRequest';
import type { DeleteSourceResponse as _caracal_source_v1_DeleteSourceResponse, DeleteSourceResponse__Output as _caracal_source_v1_DeleteSourceResponse__Output } from '../../../caracal/source/v1/DeleteSourceResponse';
import type { ListSourcesRequest as _caracal_source_v1_ListSourcesRequest, ListSourcesRequest__Output as _caracal_source_v1_ListSourcesRequest__Output } from '../../../caracal/source/v1/ListSourcesRequest';
import type { ListSourcesResponse as _caracal_source_v1_ListSourcesResponse, ListSourcesResponse__Output as _caracal_source_v1_ListSourcesResponse__Output } from '../../../caracal/source/v1/ListSourcesResponse';
import type { RotateSourceSecretRequest as _caracal_source_v1_RotateSourceSecretRequest, RotateSourceSecretRequest__Output as _caracal_source_v1_RotateSourceSecretRequest__Output } from '../../../caracal/source/v1/RotateSourceSecretRequest';
import type { RotateSourceSecretResponse as _caracal_source_v1_RotateSourceSecretResponse, RotateSourceSecretResponse__Output as _caracal_source_v1_RotateSourceSecretResponse__Output } from '../../../caracal/source/v1/RotateSourceSecretResponse';

export interface SourceServiceClient extends grpc.Client {
  CreateSource(argument: _caracal_source_v1_CreateSourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  CreateSource(argument: _caracal_source_v1_CreateSourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  CreateSource(argument: _caracal_source_v1_CreateSourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  CreateSource(argument: _caracal_source_v1_CreateSourceRequest, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  createSource(argument: _caracal_source_v1_CreateSourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  createSource(argument: _caracal_source_v1_CreateSourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  createSource(argument: _caracal_source_v1_CreateSourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  createSource(argument: _caracal_source_v1_CreateSourceRequest, callback: grpc.requestCallback<_caracal_source_v1_CreateSourceResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteSource(argument: _caracal_source_v1_DeleteSourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  DeleteSource(argument: _caracal_source_v1_DeleteSourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  DeleteSource(argument: _caracal_source_v1_DeleteSourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  DeleteSource(argument: _caracal_source_v1_DeleteSourceRequest, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  deleteSource(argument: _caracal_source_v1_DeleteSourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  deleteSource(argument: _caracal_source_v1_DeleteSourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  deleteSource(argument: _caracal_source_v1_DeleteSourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  deleteSource(argument: _caracal_source_v1_DeleteSourceRequest, callback: grpc.requestCallback<_caracal_source_v1_DeleteSourceResponse__Output>): grpc.ClientUnaryCall;
  
  ListSources(argument: _caracal_source_v1_ListSourcesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  ListSources(argument: _caracal_source_v1_ListSourcesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  ListSources(argument: _caracal_source_v1_ListSourcesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  ListSources(argument: _caracal_source_v1_ListSourcesRequest, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  listSources(argument: _caracal_source_v1_ListSourcesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  listSources(argument: _caracal_source_v1_ListSourcesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  listSources(argument: _caracal_source_v1_ListSourcesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  listSources(argument: _caracal_source_v1_ListSourcesRequest, callback: grpc.requestCallback<_caracal_source_v1_ListSourcesResponse__Output>): grpc.ClientUnaryCall;
  
  RotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  RotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  RotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  RotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  rotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  rotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  rotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  rotateSourceSecret(argument: _caracal_source_v1_RotateSourceSecretRequest, callback: grpc.requestCallback<_caracal_source_v1_RotateSourceSecretResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface SourceServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateSource: grpc.handleUnaryCall<_caracal_source_v1_CreateSourceRequest__Output, _caracal_source_v1_CreateSourceResponse>;
  
  DeleteSource: grpc.handleUnaryCall<_caracal_source_v1_DeleteSourceRequest__Output, _caracal_source_v1_DeleteSourceResponse>;
  
  ListSources: grpc.handleUnaryCall<_caracal_source_v1_ListSourcesRequest__Output, _caracal_source_v1_ListSourcesResponse>;
  
  RotateSourceSecret: grpc.handleUnaryCall<_caracal_source_v1_RotateSourceSecretRequest__Output, _caracal_source_v1_RotateSourceSecretResponse>;
  
}

export interface SourceServiceDefinition extends grpc.ServiceDefinition {
  CreateSource: MethodDefinition<_caracal_source_v1_CreateSourceRequest, _caracal_source_v1_CreateSourceResponse, _caracal_source_v1_CreateSourceRequest__Output, _caracal_source_v1_CreateSourceResponse__Output>
  DeleteSource: MethodDefinition<_caracal_source_v1_DeleteSourceRequest, _caracal_source_v1_DeleteSourceResponse, _caracal_source_v1_DeleteSourceRequest__Output, _caracal_source_v1_DeleteSourceResponse__Output>
  ListSources: MethodDefinition<_caracal_source_v1_ListSourcesRequest, _caracal_source_v1_ListSourcesResponse, _caracal_source_v1_ListSourcesRequest__Output, _caracal_source_v1_ListSourcesResponse__Output>
  RotateSourceSecret: MethodDefinition<_caracal_source_v1_RotateSourceSecretRequest, _caracal_source_v1_RotateSourceSecretResponse, _caracal_source_v1_RotateSourceSecretRequest__Output, _caracal_source_v1_RotateSourceSecretResponse__Output>
}
