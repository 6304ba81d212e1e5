// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListAlertsRequest as _caracal_alert_v1_ListAlertsRequest, ListAlertsRequest__Output as _caracal_alert_v1_ListAlertsRequest__Output } from '../../../caracal/alert/v1/ListAlertsRequest';
import type { ListAlertsResponse as _caracal_alert_v1_ListAlertsResponse, ListAlertsResponse__Output as _caracal_alert_v1_ListAlertsResponse__Output } from '../../../caracal/alert/v1/ListAlertsResponse';

export interface AlertServiceClient extends grpc.Client {
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AlertServiceHandlers extends grpc.UntypedServiceImplementation {
  ListAlerts: grpc.handleUnaryCall<_caracal_alert_v1_ListAlertsRequest__Output, _caracal_alert_v1_ListAlertsResponse>;
  
}

export interface AlertServiceDefinition extends grpc.ServiceDefinition {
  ListAlerts: MethodDefinition<_caracal_alert_v1_ListAlertsRequest, _caracal_alert_v1_ListAlertsResponse, _caracal_alert_v1_ListAlertsRequest__Output, _caracal_alert_v1_ListAlertsResponse__Output>
}
