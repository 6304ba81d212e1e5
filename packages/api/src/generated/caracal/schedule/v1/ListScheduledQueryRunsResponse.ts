// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

import type { ScheduledQueryRun as _caracal_schedule_v1_ScheduledQueryRun, ScheduledQueryRun__Output as _caracal_schedule_v1_ScheduledQueryRun__Output } from '../../../caracal/schedule/v1/ScheduledQueryRun';

export interface ListScheduledQueryRunsResponse {
  'runs'?: (_caracal_schedule_v1_ScheduledQueryRun)[];
}

export interface ListScheduledQueryRunsResponse__Output {
  'runs': (_caracal_schedule_v1_ScheduledQueryRun__Output)[];
}
