import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateSourceRequest as _caracal_source_v1_CreateSourceRequest, CreateSourceRequest__Output as _caracal_source_v1_CreateSourceRequest__Output } from './caracal/source/v1/CreateSourceRequest';
import type { CreateSourceResponse as _caracal_source_v1_CreateSourceResponse, CreateSourceResponse__Output as _caracal_source_v1_CreateSourceResponse__Output } from './caracal/source/v1/CreateSourceResponse';
import type { DeleteSourceRequest as _caracal_source_v1_DeleteSourceRequest, DeleteSourceRequest__Output as _caracal_source_v1_DeleteSourceRequest__Output } from './caracal/source/v1/DeleteSourceRequest';
import type { DeleteSourceResponse as _caracal_source_v1_DeleteSourceResponse, DeleteSourceResponse__Output as _caracal_source_v1_DeleteSourceResponse__Output } from './caracal/source/v1/DeleteSourceResponse';
import type { KafkaSourceSettings as _caracal_source_v1_KafkaSourceSettings, KafkaSourceSettings__Output as _caracal_source_v1_KafkaSourceSettings__Output } from './caracal/source/v1/KafkaSourceSettings';
import type { ListSourcesRequest as _caracal_source_v1_ListSourcesRequest, ListSourcesRequest__Output as _caracal_source_v1_ListSourcesRequest__Output } from './caracal/source/v1/ListSourcesRequest';
import type { ListSourcesResponse as _caracal_source_v1_ListSourcesResponse, ListSourcesResponse__Output as _caracal_source_v1_ListSourcesResponse__Output } from './caracal/source/v1/ListSourcesResponse';
import type { RotateSourceSecretRequest as _caracal_source_v1_RotateSourceSecretRequest, RotateSourceSecretRequest__Output as _caracal_source_v1_RotateSourceSecretRequest__Output } from './caracal/source/v1/RotateSourceSecretRequest';
import type { RotateSourceSecretResponse as _caracal_source_v1_RotateSourceSecretResponse, RotateSourceSecretResponse__Output as _caracal_source_v1_RotateSourceSecretResponse__Output } from './caracal/source/v1/RotateSourceSecretResponse';
import type { S3SourceSettings as _caracal_source_v1_S3SourceSettings, S3SourceSettings__Output as _caracal_source_v1_S3SourceSettings__Output } from './caracal/source/v1/S3SourceSettings';
import type { Source as _caracal_source_v1_Source, Source__Output as _caracal_source_v1_Source__Output } from './caracal/source/v1/Source';
import type { SourceSecretInfo as _caracal_source_v1_SourceSecretInfo, SourceSecretInfo__Output as _caracal_source_v1_SourceSecretInfo__Output } from './caracal/source/v1/SourceSecretInfo';
import type { SourceServiceClient as _caracal_source_v1_SourceServiceClient, SourceServiceDefinition as _caracal_source_v1_SourceServiceDefinition } from './caracal/source/v1/SourceService';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    source: {
      v1: {
        CreateSourceRequest: MessageTypeDefinition<_caracal_source_v1_CreateSourceRequest, _caracal_source_v1_CreateSourceRequest__Output>
        CreateSourceResponse: MessageTypeDefinition<_caracal_source_v1_CreateSourceResponse, _caracal_source_v1_CreateSourceResponse__Output>
        DeleteSourceRequest: MessageTypeDefinition<_caracal_source_v1_DeleteSourceRequest, _caracal_source_v1_DeleteSourceRequest__Output>
        DeleteSourceResponse: MessageTypeDefinition<_caracal_source_v1_DeleteSourceResponse, _caracal_source_v1_DeleteSourceResponse__Output>
        KafkaSaslMechanism: EnumTypeDefinition
        KafkaSourceSettings: MessageTypeDefinition<_caracal_source_v1_KafkaSourceSettings, _caracal_source_v1_KafkaSourceSettings__Output>
        ListSourcesRequest: MessageTypeDefinition<_caracal_source_v1_ListSourcesRequest, _caracal_source_v1_ListSourcesRequest__Output>
        ListSourcesResponse: MessageTypeDefinition<_caracal_source_v1_ListSourcesResponse, _caracal_source_v1_ListSourcesResponse__Output>
        RotateSourceSecretRequest: MessageTypeDefinition<_caracal_source_v1_RotateSourceSecretRequest, _caracal_source_v1_RotateSourceSecretRequest__Output>
        RotateSourceSecretResponse: MessageTypeDefinition<_caracal_source_v1_RotateSourceSecretResponse, _caracal_source_v1_RotateSourceSecretResponse__Output>
        S3SourceSettings: MessageTypeDefinition<_caracal_source_v1_S3SourceSettings, _caracal_source_v1_S3SourceSettings__Output>
        Source: MessageTypeDefinition<_caracal_source_v1_Source, _caracal_source_v1_Source__Output>
        SourceAuthMode: EnumTypeDefinition
        SourceSecretInfo: MessageTypeDefinition<_caracal_source_v1_SourceSecretInfo, _caracal_source_v1_SourceSecretInfo__Output>
        SourceService: SubtypeConstructor<typeof grpc.Client, _caracal_source_v1_SourceServiceClient> & { service: _caracal_source_v1_SourceServiceDefinition }
        SourceTransport: EnumTypeDefinition
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

