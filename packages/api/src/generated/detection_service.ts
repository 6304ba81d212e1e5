import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeleteDetectionRequest as _caracal_detection_v1_DeleteDetectionRequest, DeleteDetectionRequest__Output as _caracal_detection_v1_DeleteDetectionRequest__Output } from './caracal/detection/v1/DeleteDetectionRequest';
import type { DeleteDetectionResponse as _caracal_detection_v1_DeleteDetectionResponse, DeleteDetectionResponse__Output as _caracal_detection_v1_DeleteDetectionResponse__Output } from './caracal/detection/v1/DeleteDetectionResponse';
import type { Detection as _caracal_detection_v1_Detection, Detection__Output as _caracal_detection_v1_Detection__Output } from './caracal/detection/v1/Detection';
import type { DetectionServiceClient as _caracal_detection_v1_DetectionServiceClient, DetectionServiceDefinition as _caracal_detection_v1_DetectionServiceDefinition } from './caracal/detection/v1/DetectionService';
import type { EventResult as _caracal_detection_v1_EventResult, EventResult__Output as _caracal_detection_v1_EventResult__Output } from './caracal/detection/v1/EventResult';
import type { GetDetectionRequest as _caracal_detection_v1_GetDetectionRequest, GetDetectionRequest__Output as _caracal_detection_v1_GetDetectionRequest__Output } from './caracal/detection/v1/GetDetectionRequest';
import type { GetDetectionResponse as _caracal_detection_v1_GetDetectionResponse, GetDetectionResponse__Output as _caracal_detection_v1_GetDetectionResponse__Output } from './caracal/detection/v1/GetDetectionResponse';
import type { ListDetectionsRequest as _caracal_detection_v1_ListDetectionsRequest, ListDetectionsRequest__Output as _caracal_detection_v1_ListDetectionsRequest__Output } from './caracal/detection/v1/ListDetectionsRequest';
import type { ListDetectionsResponse as _caracal_detection_v1_ListDetectionsResponse, ListDetectionsResponse__Output as _caracal_detection_v1_ListDetectionsResponse__Output } from './caracal/detection/v1/ListDetectionsResponse';
import type { PutDetectionRequest as _caracal_detection_v1_PutDetectionRequest, PutDetectionRequest__Output as _caracal_detection_v1_PutDetectionRequest__Output } from './caracal/detection/v1/PutDetectionRequest';
import type { PutDetectionResponse as _caracal_detection_v1_PutDetectionResponse, PutDetectionResponse__Output as _caracal_detection_v1_PutDetectionResponse__Output } from './caracal/detection/v1/PutDetectionResponse';
import type { TestDetectionRequest as _caracal_detection_v1_TestDetectionRequest, TestDetectionRequest__Output as _caracal_detection_v1_TestDetectionRequest__Output } from './caracal/detection/v1/TestDetectionRequest';
import type { TestDetectionResponse as _caracal_detection_v1_TestDetectionResponse, TestDetectionResponse__Output as _caracal_detection_v1_TestDetectionResponse__Output } from './caracal/detection/v1/TestDetectionResponse';
import type { TestResult as _caracal_detection_v1_TestResult, TestResult__Output as _caracal_detection_v1_TestResult__Output } from './caracal/detection/v1/TestResult';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    detection: {
      v1: {
        DeleteDetectionRequest: MessageTypeDefinition<_caracal_detection_v1_DeleteDetectionRequest, _caracal_detection_v1_DeleteDetectionRequest__Output>
        DeleteDetectionResponse: MessageTypeDefinition<_caracal_detection_v1_DeleteDetectionResponse, _caracal_detection_v1_DeleteDetectionResponse__Output>
        Detection: MessageTypeDefinition<_caracal_detection_v1_Detection, _caracal_detection_v1_Detection__Output>
        DetectionOrigin: EnumTypeDefinition
        DetectionService: SubtypeConstructor<typeof grpc.Client, _caracal_detection_v1_DetectionServiceClient> & { service: _caracal_detection_v1_DetectionServiceDefinition }
        EventResult: MessageTypeDefinition<_caracal_detection_v1_EventResult, _caracal_detection_v1_EventResult__Output>
        GetDetectionRequest: MessageTypeDefinition<_caracal_detection_v1_GetDetectionRequest, _caracal_detection_v1_GetDetectionRequest__Output>
        GetDetectionResponse: MessageTypeDefinition<_caracal_detection_v1_GetDetectionResponse, _caracal_detection_v1_GetDetectionResponse__Output>
        ListDetectionsRequest: MessageTypeDefinition<_caracal_detection_v1_ListDetectionsRequest, _caracal_detection_v1_ListDetectionsRequest__Output>
        ListDetectionsResponse: MessageTypeDefinition<_caracal_detection_v1_ListDetectionsResponse, _caracal_detection_v1_ListDetectionsResponse__Output>
        PutDetectionRequest: MessageTypeDefinition<_caracal_detection_v1_PutDetectionRequest, _caracal_detection_v1_PutDetectionRequest__Output>
        PutDetectionResponse: MessageTypeDefinition<_caracal_detection_v1_PutDetectionResponse, _caracal_detection_v1_PutDetectionResponse__Output>
        Severity: EnumTypeDefinition
        TestDetectionRequest: MessageTypeDefinition<_caracal_detection_v1_TestDetectionRequest, _caracal_detection_v1_TestDetectionRequest__Output>
        TestDetectionResponse: MessageTypeDefinition<_caracal_detection_v1_TestDetectionResponse, _caracal_detection_v1_TestDetectionResponse__Output>
        TestResult: MessageTypeDefinition<_caracal_detection_v1_TestResult, _caracal_detection_v1_TestResult__Output>
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

