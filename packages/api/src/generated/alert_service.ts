import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Alert as _caracal_alert_v1_Alert, Alert__Output as _caracal_alert_v1_Alert__Output } from './caracal/alert/v1/Alert';
import type { AlertServiceClient as _caracal_alert_v1_AlertServiceClient, AlertServiceDefinition as _caracal_alert_v1_AlertServiceDefinition } from './caracal/alert/v1/AlertService';
import type { ListAlertsRequest as _caracal_alert_v1_ListAlertsRequest, ListAlertsRequest__Output as _caracal_alert_v1_ListAlertsRequest__Output } from './caracal/alert/v1/ListAlertsRequest';
import type { ListAlertsResponse as _caracal_alert_v1_ListAlertsResponse, ListAlertsResponse__Output as _caracal_alert_v1_ListAlertsResponse__Output } from './caracal/alert/v1/ListAlertsResponse';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  caracal: {
    alert: {
      v1: {
        Alert: MessageTypeDefinition<_caracal_alert_v1_Alert, _caracal_alert_v1_Alert__Output>
        AlertService: SubtypeConstructor<typeof grpc.Client, _caracal_alert_v1_AlertServiceClient> & { service: _caracal_alert_v1_AlertServiceDefinition }
        AlertStatus: EnumTypeDefinition
        ListAlertsRequest: MessageTypeDefinition<_caracal_alert_v1_ListAlertsRequest, _caracal_alert_v1_ListAlertsRequest__Output>
        ListAlertsResponse: MessageTypeDefinition<_caracal_alert_v1_ListAlertsResponse, _caracal_alert_v1_ListAlertsResponse__Output>
        Severity: EnumTypeDefinition
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

