// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddAlertCommentRequest as _caracal_alert_v1_AddAlertCommentRequest, AddAlertCommentRequest__Output as _caracal_alert_v1_AddAlertCommentRequest__Output } from '../../../caracal/alert/v1/AddAlertCommentRequest';
import type { AddAlertCommentResponse as _caracal_alert_v1_AddAlertCommentResponse, AddAlertCommentResponse__Output as _caracal_alert_v1_AddAlertCommentResponse__Output } from '../../../caracal/alert/v1/AddAlertCommentResponse';
import type { GetAlertRequest as _caracal_alert_v1_GetAlertRequest, GetAlertRequest__Output as _caracal_alert_v1_GetAlertRequest__Output } from '../../../caracal/alert/v1/GetAlertRequest';
import type { GetAlertResponse as _caracal_alert_v1_GetAlertResponse, GetAlertResponse__Output as _caracal_alert_v1_GetAlertResponse__Output } from '../../../caracal/alert/v1/GetAlertResponse';
import type { ListAlertsRequest as _caracal_alert_v1_ListAlertsRequest, ListAlertsRequest__Output as _caracal_alert_v1_ListAlertsRequest__Output } from '../../../caracal/alert/v1/ListAlertsRequest';
import type { ListAlertsResponse as _caracal_alert_v1_ListAlertsResponse, ListAlertsResponse__Output as _caracal_alert_v1_ListAlertsResponse__Output } from '../../../caracal/alert/v1/ListAlertsResponse';
import type { UpdateAlertAssigneeRequest as _caracal_alert_v1_UpdateAlertAssigneeRequest, UpdateAlertAssigneeRequest__Output as _caracal_alert_v1_UpdateAlertAssigneeRequest__Output } from '../../../caracal/alert/v1/UpdateAlertAssigneeRequest';
import type { UpdateAlertAssigneeResponse as _caracal_alert_v1_UpdateAlertAssigneeResponse, UpdateAlertAssigneeResponse__Output as _caracal_alert_v1_UpdateAlertAssigneeResponse__Output } from '../../../caracal/alert/v1/UpdateAlertAssigneeResponse';
import type { UpdateAlertStatusRequest as _caracal_alert_v1_UpdateAlertStatusRequest, UpdateAlertStatusRequest__Output as _caracal_alert_v1_UpdateAlertStatusRequest__Output } from '../../../caracal/alert/v1/UpdateAlertStatusRequest';
import type { UpdateAlertStatusResponse as _caracal_alert_v1_UpdateAlertStatusResponse, UpdateAlertStatusResponse__Output as _caracal_alert_v1_UpdateAlertStatusResponse__Output } from '../../../caracal/alert/v1/UpdateAlertStatusResponse';

export interface AlertServiceClient extends grpc.Client {
  AddAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  AddAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  AddAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  AddAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  addAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  addAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  addAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  addAlertComment(argument: _caracal_alert_v1_AddAlertCommentRequest, callback: grpc.requestCallback<_caracal_alert_v1_AddAlertCommentResponse__Output>): grpc.ClientUnaryCall;
  
  GetAlert(argument: _caracal_alert_v1_GetAlertRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  GetAlert(argument: _caracal_alert_v1_GetAlertRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  GetAlert(argument: _caracal_alert_v1_GetAlertRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  GetAlert(argument: _caracal_alert_v1_GetAlertRequest, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  getAlert(argument: _caracal_alert_v1_GetAlertRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  getAlert(argument: _caracal_alert_v1_GetAlertRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  getAlert(argument: _caracal_alert_v1_GetAlertRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  getAlert(argument: _caracal_alert_v1_GetAlertRequest, callback: grpc.requestCallback<_caracal_alert_v1_GetAlertResponse__Output>): grpc.ClientUnaryCall;
  
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  ListAlerts(argument: _caracal_alert_v1_ListAlertsRequest, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  listAlerts(argument: _caracal_alert_v1_ListAlertsRequest, callback: grpc.requestCallback<_caracal_alert_v1_ListAlertsResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  UpdateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  UpdateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  UpdateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  updateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  updateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  updateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  updateAlertAssignee(argument: _caracal_alert_v1_UpdateAlertAssigneeRequest, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertAssigneeResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  updateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  updateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  updateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  updateAlertStatus(argument: _caracal_alert_v1_UpdateAlertStatusRequest, callback: grpc.requestCallback<_caracal_alert_v1_UpdateAlertStatusResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AlertServiceHandlers extends grpc.UntypedServiceImplementation {
  AddAlertComment: grpc.handleUnaryCall<_caracal_alert_v1_AddAlertCommentRequest__Output, _caracal_alert_v1_AddAlertCommentResponse>;
  
  GetAlert: grpc.handleUnaryCall<_caracal_alert_v1_GetAlertRequest__Output, _caracal_alert_v1_GetAlertResponse>;
  
  ListAlerts: grpc.handleUnaryCall<_caracal_alert_v1_ListAlertsRequest__Output, _caracal_alert_v1_ListAlertsResponse>;
  
  UpdateAlertAssignee: grpc.handleUnaryCall<_caracal_alert_v1_UpdateAlertAssigneeRequest__Output, _caracal_alert_v1_UpdateAlertAssigneeResponse>;
  
  UpdateAlertStatus: grpc.handleUnaryCall<_caracal_alert_v1_UpdateAlertStatusRequest__Output, _caracal_alert_v1_UpdateAlertStatusResponse>;
  
}

export interface AlertServiceDefinition extends grpc.ServiceDefinition {
  AddAlertComment: MethodDefinition<_caracal_alert_v1_AddAlertCommentRequest, _caracal_alert_v1_AddAlertCommentResponse, _caracal_alert_v1_AddAlertCommentRequest__Output, _caracal_alert_v1_AddAlertCommentResponse__Output>
  GetAlert: MethodDefinition<_caracal_alert_v1_GetAlertRequest, _caracal_alert_v1_GetAlertResponse, _caracal_alert_v1_GetAlertRequest__Output, _caracal_alert_v1_GetAlertResponse__Output>
  ListAlerts: MethodDefinition<_caracal_alert_v1_ListAlertsRequest, _caracal_alert_v1_ListAlertsResponse, _caracal_alert_v1_ListAlertsRequest__Output, _caracal_alert_v1_ListAlertsResponse__Output>
  UpdateAlertAssignee: MethodDefinition<_caracal_alert_v1_UpdateAlertAssigneeRequest, _caracal_alert_v1_UpdateAlertAssigneeResponse, _caracal_alert_v1_UpdateAlertAssigneeRequest__Output, _caracal_alert_v1_UpdateAlertAssigneeResponse__Output>
  UpdateAlertStatus: MethodDefinition<_caracal_alert_v1_UpdateAlertStatusRequest, _caracal_alert_v1_UpdateAlertStatusResponse, _caracal_alert_v1_UpdateAlertStatusRequest__Output, _caracal_alert_v1_UpdateAlertStatusResponse__Output>
}
