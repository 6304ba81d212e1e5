// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { ScheduledQueryRun as _caracal_schedule_v1_ScheduledQueryRun, ScheduledQueryRun__Output as _caracal_schedule_v1_ScheduledQueryRun__Output } from '../../../caracal/schedule/v1/ScheduledQueryRun';

export interface ScheduledQuery {
  'queryName'?: (string);
  'description'?: (string);
  'enabled'?: (boolean);
  'cronExpression'?: (string);
  'rateMinutes'?: (number);
  'timeoutMinutes'?: (number);
  'scheduledRules'?: (string)[];
  'nextRunTime'?: (_google_protobuf_Timestamp | null);
  'lastRun'?: (_caracal_schedule_v1_ScheduledQueryRun | null);
  'schedule'?: "cronExpression"|"rateMinutes";
}

export interface ScheduledQuery__Output {
  'queryName': (string);
  'description': (string);
  'enabled': (boolean);
  'cronExpression'?: (string);
  'rateMinutes'?: (number);
  'timeoutMinutes': (number);
  'scheduledRules': (string)[];
  'nextRunTime': (_google_protobuf_Timestamp__Output | null);
  'lastRun': (_caracal_schedule_v1_ScheduledQueryRun__Output | null);
  'schedule'?: "cronExpression"|"rateMinutes";
}
