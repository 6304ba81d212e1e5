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
import type { ReplayAlert as _caracal_detection_v1_ReplayAlert, ReplayAlert__Output as _caracal_detection_v1_ReplayAlert__Output } from './caracal/detection/v1/ReplayAlert';
import type { ReplayComparison as _caracal_detection_v1_ReplayComparison, ReplayComparison__Output as _caracal_detection_v1_ReplayComparison__Output } from './caracal/detection/v1/ReplayComparison';
import type { ReplayCost as _caracal_detection_v1_ReplayCost, ReplayCost__Output as _caracal_detection_v1_ReplayCost__Output } from './caracal/detection/v1/ReplayCost';
import type { ReplayDedupDifference as _caracal_detection_v1_ReplayDedupDifference, ReplayDedupDifference__Output as _caracal_detection_v1_ReplayDedupDifference__Output } from './caracal/detection/v1/ReplayDedupDifference';
import type { ReplayDetectionRequest as _caracal_detection_v1_ReplayDetectionRequest, ReplayDetectionRequest__Output as _caracal_detection_v1_ReplayDetectionRequest__Output } from './caracal/detection/v1/ReplayDetectionRequest';
import type { ReplayDetectionResponse as _caracal_detection_v1_ReplayDetectionResponse, ReplayDetectionResponse__Output as _caracal_detection_v1_ReplayDetectionResponse__Output } from './caracal/detection/v1/ReplayDetectionResponse';
import type { ReplayProgress as _caracal_detection_v1_ReplayProgress, ReplayProgress__Output as _caracal_detection_v1_ReplayProgress__Output } from './caracal/detection/v1/ReplayProgress';
import type { ReplayReport as _caracal_detection_v1_ReplayReport, ReplayReport__Output as _caracal_detection_v1_ReplayReport__Output } from './caracal/detection/v1/ReplayReport';
import type { TestDetectionRequest as _caracal_detection_v1_TestDetectionRequest, TestDetectionRequest__Output as _caracal_detection_v1_TestDetectionRequest__Output } from './caracal/detection/v1/TestDetectionRequest';
import type { TestDetectionResponse as _caracal_detection_v1_TestDetectionResponse, TestDetectionResponse__Output as _caracal_detection_v1_TestDetectionResponse__Output } from './caracal/detection/v1/TestDetectionResponse';
import type { TestResult as _caracal_detection_v1_TestResult, TestResult__Output as _caracal_detection_v1_TestResult__Output } from './caracal/detection/v1/TestResult';
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
        ReplayAlert: MessageTypeDefinition<_caracal_detection_v1_ReplayAlert, _caracal_detection_v1_ReplayAlert__Output>
        ReplayComparison: MessageTypeDefinition<_caracal_detection_v1_ReplayComparison, _caracal_detection_v1_ReplayComparison__Output>
        ReplayCost: MessageTypeDefinition<_caracal_detection_v1_ReplayCost, _caracal_detection_v1_ReplayCost__Output>
        ReplayDedupDifference: MessageTypeDefinition<_caracal_detection_v1_ReplayDedupDifference, _caracal_detection_v1_ReplayDedupDifference__Output>
        ReplayDetectionRequest: MessageTypeDefinition<_caracal_detection_v1_ReplayDetectionRequest, _caracal_detection_v1_ReplayDetectionRequest__Output>
        ReplayDetectionResponse: MessageTypeDefinition<_caracal_detection_v1_ReplayDetectionResponse, _caracal_detection_v1_ReplayDetectionResponse__Output>
        ReplayProgress: MessageTypeDefinition<_caracal_detection_v1_ReplayProgress, _caracal_detection_v1_ReplayProgress__Output>
        ReplayReport: MessageTypeDefinition<_caracal_detection_v1_ReplayReport, _caracal_detection_v1_ReplayReport__Output>
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

