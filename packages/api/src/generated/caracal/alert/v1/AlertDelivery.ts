// Original file: ../../proto/caracal/alert/v1/alert_service.proto

import type { AlertDeliveryOutcome as _caracal_alert_v1_AlertDeliveryOutcome, AlertDeliveryOutcome__Output as _caracal_alert_v1_AlertDeliveryOutcome__Output } from '../../../caracal/alert/v1/AlertDeliveryOutcome';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface AlertDelivery {
  'destinationId'?: (string);
  'destinationType'?: (string);
  'outcome'?: (_caracal_alert_v1_AlertDeliveryOutcome);
  'attempts'?: (number);
  'httpStatus'?: (number);
  'error'?: (string);
  'attemptedTime'?: (_google_protobuf_Timestamp | null);
}

export interface AlertDelivery__Output {
  'destinationId': (string);
  'destinationType': (string);
  'outcome': (_caracal_alert_v1_AlertDeliveryOutcome__Output);
  'attempts': (number);
  'httpStatus': (number);
  'error': (string);
  'attemptedTime': (_google_protobuf_Timestamp__Output | null);
}
