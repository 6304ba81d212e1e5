// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

import type { ScheduledQueryRun as _caracal_schedule_v1_ScheduledQueryRun, ScheduledQueryRun__Output as _caracal_schedule_v1_ScheduledQueryRun__Output } from '../../../caracal/schedule/v1/ScheduledQueryRun';

export interface RunScheduledQueryResponse {
  'run'?: (_caracal_schedule_v1_ScheduledQueryRun | null);
}

export interface RunScheduledQueryResponse__Output {
  'run': (_caracal_schedule_v1_ScheduledQueryRun__Output | null);
}
