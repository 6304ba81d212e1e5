// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

export interface ReplayProgress {
  'eventsRead'?: (number | string | Long);
  'eventsTotal'?: (number | string | Long);
  'eventsPerSecond'?: (number | string);
  'etaSeconds'?: (number | string);
  'eventTime'?: (_google_protobuf_Timestamp | null);
  '_etaSeconds'?: "etaSeconds";
}

export interface ReplayProgress__Output {
  'eventsRead': (string);
  'eventsTotal': (string);
  'eventsPerSecond': (number);
  'etaSeconds'?: (number);
  'eventTime': (_google_protobuf_Timestamp__Output | null);
  '_etaSeconds'?: "etaSeconds";
}
