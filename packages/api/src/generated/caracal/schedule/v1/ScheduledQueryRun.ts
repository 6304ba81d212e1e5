// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { ScheduledQueryRunTrigger as _caracal_schedule_v1_ScheduledQueryRunTrigger, ScheduledQueryRunTrigger__Output as _caracal_schedule_v1_ScheduledQueryRunTrigger__Output } from '../../../caracal/schedule/v1/ScheduledQueryRunTrigger';
import type { ScheduledQueryRunOutcome as _caracal_schedule_v1_ScheduledQueryRunOutcome, ScheduledQueryRunOutcome__Output as _caracal_schedule_v1_ScheduledQueryRunOutcome__Output } from '../../../caracal/schedule/v1/ScheduledQueryRunOutcome';
import type { Long } from '@grpc/proto-loader';

export interface ScheduledQueryRun {
  'queryName'?: (string);
  'scheduledTime'?: (_google_protobuf_Timestamp | null);
  'trigger'?: (_caracal_schedule_v1_ScheduledQueryRunTrigger);
  'startedTime'?: (_google_protobuf_Timestamp | null);
  'durationMs'?: (number | string | Long);
  'rows'?: (number | string | Long);
  'outcome'?: (_caracal_schedule_v1_ScheduledQueryRunOutcome);
  'error'?: (string);
}

export interface ScheduledQueryRun__Output {
  'queryName': (string);
  'scheduledTime': (_google_protobuf_Timestamp__Output | null);
  'trigger': (_caracal_schedule_v1_ScheduledQueryRunTrigger__Output);
  'startedTime': (_google_protobuf_Timestamp__Output | null);
  'durationMs': (string);
  'rows': (string);
  'outcome': (_caracal_schedule_v1_ScheduledQueryRunOutcome__Output);
  'error': (string);
}
