// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteDetectionRequest as _caracal_detection_v1_DeleteDetectionRequest, DeleteDetectionRequest__Output as _caracal_detection_v1_DeleteDetectionRequest__Output } from '../../../caracal/detection/v1/DeleteDetectionRequest';
import type { DeleteDetectionResponse as _caracal_detection_v1_DeleteDetectionResponse, DeleteDetectionResponse__Output as _caracal_detection_v1_DeleteDetectionResponse__Output } from '../../../caracal/detection/v1/DeleteDetectionResponse';
import type { GetDetectionRequest as _caracal_detection_v1_GetDetectionRequest, GetDetectionRequest__Output as _caracal_detection_v1_GetDetectionRequest__Output } from '../../../caracal/detection/v1/GetDetectionRequest';
import type { GetDetectionResponse as _caracal_detection_v1_GetDetectionResponse, GetDetectionResponse__Output as _caracal_detection_v1_GetDetectionResponse__Output } from '../../../caracal/detection/v1/GetDetectionResponse';
import type { ListDetectionsRequest as _caracal_detection_v1_ListDetectionsRequest, ListDetectionsRequest__Output as _caracal_detection_v1_ListDetectionsRequest__Output } from '../../../caracal/detection/v1/ListDetectionsRequest';
import type { ListDetectionsResponse as _caracal_detection_v1_ListDetectionsResponse, ListDetectionsResponse__Output as _caracal_detection_v1_ListDetectionsResponse__Output } from '../../../caracal/detection/v1/ListDetectionsResponse';
import type { PutDetectionRequest as _caracal_detection_v1_PutDetectionRequest, PutDetectionRequest__Output as _caracal_detection_v1_PutDetectionRequest__Output } from '../../../caracal/detection/v1/PutDetectionRequest';
import type { PutDetectionResponse as _caracal_detection_v1_PutDetectionResponse, PutDetectionResponse__Output as _caracal_detection_v1_PutDetectionResponse__Output } from '../../../caracal/detection/v1/PutDetectionResponse';
import type { ReplayDetectionRequest as _caracal_detection_v1_ReplayDetectionRequest, ReplayDetectionRequest__Output as _caracal_detection_v1_ReplayDetectionRequest__Output } from '../../../caracal/detection/v1/ReplayDetectionRequest';
import type { ReplayDetectionResponse as _caracal_detection_v1_ReplayDetectionResponse, ReplayDetectionResponse__Output as _caracal_detection_v1_ReplayDetectionResponse__Output } from '../../../caracal/detection/v1/ReplayDetectionResponse';
import type { TestDetectionRequest as _caracal_detection_v1_TestDetectionRequest, TestDetectionRequest__Output as _caracal_detection_v1_TestDetectionRequest__Output } from '../../../caracal/detection/v1/TestDetectionRequest';
import type { TestDetectionResponse as _caracal_detection_v1_TestDetectionResponse, TestDetectionResponse__Output as _caracal_detection_v1_TestDetectionResponse__Output } from '../../../caracal/detection/v1/TestDetectionResponse';

export interface DetectionServiceClient extends grpc.Client {
  DeleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  DeleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  DeleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  DeleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  deleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  deleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  deleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  deleteDetection(argument: _caracal_detection_v1_DeleteDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_DeleteDetectionResponse__Output>): grpc.ClientUnaryCall;
  
  GetDetection(argument: _caracal_detection_v1_GetDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  GetDetection(argument: _caracal_detection_v1_GetDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  GetDetection(argument: _caracal_detection_v1_GetDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  GetDetection(argument: _caracal_detection_v1_GetDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  getDetection(argument: _caracal_detection_v1_GetDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  getDetection(argument: _caracal_detection_v1_GetDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  getDetection(argument: _caracal_detection_v1_GetDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  getDetection(argument: _caracal_detection_v1_GetDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_GetDetectionResponse__Output>): grpc.ClientUnaryCall;
  
  ListDetections(argument: _caracal_detection_v1_ListDetectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  ListDetections(argument: _caracal_detection_v1_ListDetectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  ListDetections(argument: _caracal_detection_v1_ListDetectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  ListDetections(argument: _caracal_detection_v1_ListDetectionsRequest, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  listDetections(argument: _caracal_detection_v1_ListDetectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  listDetections(argument: _caracal_detection_v1_ListDetectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  listDetections(argument: _caracal_detection_v1_ListDetectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  listDetections(argument: _caracal_detection_v1_ListDetectionsRequest, callback: grpc.requestCallback<_caracal_detection_v1_ListDetectionsResponse__Output>): grpc.ClientUnaryCall;
  
  PutDetection(argument: _caracal_detection_v1_PutDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  PutDetection(argument: _caracal_detection_v1_PutDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  PutDetection(argument: _caracal_detection_v1_PutDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  PutDetection(argument: _caracal_detection_v1_PutDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  putDetection(argument: _caracal_detection_v1_PutDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  putDetection(argument: _caracal_detection_v1_PutDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  putDetection(argument: _caracal_detection_v1_PutDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  putDetection(argument: _caracal_detection_v1_PutDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_PutDetectionResponse__Output>): grpc.ClientUnaryCall;
  
  ReplayDetection(argument: _caracal_detection_v1_ReplayDetectionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_detection_v1_ReplayDetectionResponse__Output>;
  ReplayDetection(argument: _caracal_detection_v1_ReplayDetectionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_detection_v1_ReplayDetectionResponse__Output>;
  replayDetection(argument: _caracal_detection_v1_ReplayDetectionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_detection_v1_ReplayDetectionResponse__Output>;
  replayDetection(argument: _caracal_detection_v1_ReplayDetectionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_caracal_detection_v1_ReplayDetectionResponse__Output>;
  
  TestDetection(argument: _caracal_detection_v1_TestDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  TestDetection(argument: _caracal_detection_v1_TestDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  TestDetection(argument: _caracal_detection_v1_TestDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  TestDetection(argument: _caracal_detection_v1_TestDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  testDetection(argument: _caracal_detection_v1_TestDetectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  testDetection(argument: _caracal_detection_v1_TestDetectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  testDetection(argument: _caracal_detection_v1_TestDetectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  testDetection(argument: _caracal_detection_v1_TestDetectionRequest, callback: grpc.requestCallback<_caracal_detection_v1_TestDetectionResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface DetectionServiceHandlers extends grpc.UntypedServiceImplementation {
  DeleteDetection: grpc.handleUnaryCall<_caracal_detection_v1_DeleteDetectionRequest__Output, _caracal_detection_v1_DeleteDetectionResponse>;
  
  GetDetection: grpc.handleUnaryCall<_caracal_detection_v1_GetDetectionRequest__Output, _caracal_detection_v1_GetDetectionResponse>;
  
  ListDetections: grpc.handleUnaryCall<_caracal_detection_v1_ListDetectionsRequest__Output, _caracal_detection_v1_ListDetectionsResponse>;
  
  PutDetection: grpc.handleUnaryCall<_caracal_detection_v1_PutDetectionRequest__Output, _caracal_detection_v1_PutDetectionResponse>;
  
  ReplayDetection: grpc.handleServerStreamingCall<_caracal_detection_v1_ReplayDetectionRequest__Output, _caracal_detection_v1_ReplayDetectionResponse>;
  
  TestDetection: grpc.handleUnaryCall<_caracal_detection_v1_TestDetectionRequest__Output, _caracal_detection_v1_TestDetectionResponse>;
  
}

export interface DetectionServiceDefinition extends grpc.ServiceDefinition {
  DeleteDetection: MethodDefinition<_caracal_detection_v1_DeleteDetectionRequest, _caracal_detection_v1_DeleteDetectionResponse, _caracal_detection_v1_DeleteDetectionRequest__Output, _caracal_detection_v1_DeleteDetectionResponse__Output>
  GetDetection: MethodDefinition<_caracal_detection_v1_GetDetectionRequest, _caracal_detection_v1_GetDetectionResponse, _caracal_detection_v1_GetDetectionRequest__Output, _caracal_detection_v1_GetDetectionResponse__Output>
  ListDetections: MethodDefinition<_caracal_detection_v1_ListDetectionsRequest, _caracal_detection_v1_ListDetectionsResponse, _caracal_detection_v1_ListDetectionsRequest__Output, _caracal_detection_v1_ListDetectionsResponse__Output>
  PutDetection: MethodDefinition<_caracal_detection_v1_PutDetectionRequest, _caracal_detection_v1_PutDetectionResponse, _caracal_detection_v1_PutDetectionRequest__Output, _caracal_detection_v1_PutDetectionResponse__Output>
  ReplayDetection: MethodDefinition<_caracal_detection_v1_ReplayDetectionRequest, _caracal_detection_v1_ReplayDetectionResponse, _caracal_detection_v1_ReplayDetectionRequest__Output, _caracal_detection_v1_ReplayDetectionResponse__Output>
  TestDetection: MethodDefinition<_caracal_detection_v1_TestDetectionRequest, _caracal_detection_v1_TestDetectionResponse, _caracal_detection_v1_TestDetectionRequest__Output, _caracal_detection_v1_TestDetectionResponse__Output>
}
