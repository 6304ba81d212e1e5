import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddAlertCommentRequest as _caracal_alert_v1_AddAlertCommentRequest, AddAlertCommentRequest__Output as _caracal_alert_v1_AddAlertCommentRequest__Output } from './caracal/alert/v1/AddAlertCommentRequest';
import type { AddAlertCommentResponse as _caracal_alert_v1_AddAlertCommentResponse, AddAlertCommentResponse__Output as _caracal_alert_v1_AddAlertCommentResponse__Output } from './caracal/alert/v1/AddAlertCommentResponse';
import type { Alert as _caracal_alert_v1_Alert, Alert__Output as _caracal_alert_v1_Alert__Output } from './caracal/alert/v1/Alert';
import type { AlertActivity as _caracal_alert_v1_AlertActivity, AlertActivity__Output as _caracal_alert_v1_AlertActivity__Output } from './caracal/alert/v1/AlertActivity';
import type { AlertDelivery as _caracal_alert_v1_AlertDelivery, AlertDelivery__Output as _caracal_alert_v1_AlertDelivery__Output } from './caracal/alert/v1/AlertDelivery';
import type { AlertServiceClient as _caracal_alert_v1_AlertServiceClient, AlertServiceDefinition as _caracal_alert_v1_AlertServiceDefinition } from './caracal/alert/v1/AlertService';
import type { GetAlertRequest as _caracal_alert_v1_GetAlertRequest, GetAlertRequest__Output as _caracal_alert_v1_GetAlertRequest__Output } from './caracal/alert/v1/GetAlertRequest';
import type { GetAlertResponse as _caracal_alert_v1_GetAlertResponse, GetAlertResponse__Output as _caracal_alert_v1_GetAlertResponse__Output } from './caracal/alert/v1/GetAlertResponse';
import type { ListAlertsRequest as _caracal_alert_v1_ListAlertsRequest, ListAlertsRequest__Output as _caracal_alert_v1_ListAlertsRequest__Output } from './caracal/alert/v1/ListAlertsRequest';
import type { ListAlertsResponse as _caracal_alert_v1_ListAlertsResponse, ListAlertsResponse__Output as _caracal_alert_v1_ListAlertsResponse__Output } from './caracal/alert/v1/ListAlertsResponse';
import type { UpdateAlertAssigneeRequest as _caracal_alert_v1_UpdateAlertAssigneeRequest, UpdateAlertAssigneeRequest__Output as _caracal_alert_v1_UpdateAlertAssigneeRequest__Output } from './caracal/alert/v1/UpdateAlertAssigneeRequest';
import type { UpdateAlertAssigneeResponse as _caracal_alert_v1_UpdateAlertAssigneeResponse, UpdateAlertAssigneeResponse__Output as _caracal_alert_v1_UpdateAlertAssigneeResponse__Output } from './caracal/alert/v1/UpdateAlertAssigneeResponse';
import type { UpdateAlertStatusRequest as _caracal_alert_v1_UpdateAlertStatusRequest, UpdateAlertStatusRequest__Output as _caracal_alert_v1_UpdateAlertStatusRequest__Output } from './caracal/alert/v1/UpdateAlertStatusRequest';
import type { UpdateAlertStatusResponse as _caracal_alert_v1_UpdateAlertStatusResponse, UpdateAlertStatusResponse__Output as _caracal_alert_v1_UpdateAlertStatusResponse__Output } from './caracal/alert/v1/UpdateAlertStatusResponse';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    alert: {
      v1: {
        AddAlertCommentRequest: MessageTypeDefinition<_caracal_alert_v1_AddAlertCommentRequest, _caracal_alert_v1_AddAlertCommentRequest__Output>
        AddAlertCommentResponse: MessageTypeDefinition<_caracal_alert_v1_AddAlertCommentResponse, _caracal_alert_v1_AddAlertCommentResponse__Output>
        Alert: MessageTypeDefinition<_caracal_alert_v1_Alert, _caracal_alert_v1_Alert__Output>
        AlertActivity: MessageTypeDefinition<_caracal_alert_v1_AlertActivity, _caracal_alert_v1_AlertActivity__Output>
        AlertActivityKind: EnumTypeDefinition
        AlertDelivery: MessageTypeDefinition<_caracal_alert_v1_AlertDelivery, _caracal_alert_v1_AlertDelivery__Output>
        AlertDeliveryOutcome: EnumTypeDefinition
        AlertService: SubtypeConstructor<typeof grpc.Client, _caracal_alert_v1_AlertServiceClient> & { service: _caracal_alert_v1_AlertServiceDefinition }
        AlertStatus: EnumTypeDefinition
        AlertType: EnumTypeDefinition
        GetAlertRequest: MessageTypeDefinition<_caracal_alert_v1_GetAlertRequest, _caracal_alert_v1_GetAlertRequest__Output>
        GetAlertResponse: MessageTypeDefinition<_caracal_alert_v1_GetAlertResponse, _caracal_alert_v1_GetAlertResponse__Output>
        ListAlertsRequest: MessageTypeDefinition<_caracal_alert_v1_ListAlertsRequest, _caracal_alert_v1_ListAlertsRequest__Output>
        ListAlertsResponse: MessageTypeDefinition<_caracal_alert_v1_ListAlertsResponse, _caracal_alert_v1_ListAlertsResponse__Output>
        Severity: EnumTypeDefinition
        UpdateAlertAssigneeRequest: MessageTypeDefinition<_caracal_alert_v1_UpdateAlertAssigneeRequest, _caracal_alert_v1_UpdateAlertAssigneeRequest__Output>
        UpdateAlertAssigneeResponse: MessageTypeDefinition<_caracal_alert_v1_UpdateAlertAssigneeResponse, _caracal_alert_v1_UpdateAlertAssigneeResponse__Output>
        UpdateAlertStatusRequest: MessageTypeDefinition<_caracal_alert_v1_UpdateAlertStatusRequest, _caracal_alert_v1_UpdateAlertStatusRequest__Output>
        UpdateAlertStatusResponse: MessageTypeDefinition<_caracal_alert_v1_UpdateAlertStatusResponse, _caracal_alert_v1_UpdateAlertStatusResponse__Output>
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

