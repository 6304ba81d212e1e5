// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

import type { ScheduledQuery as _caracal_schedule_v1_ScheduledQuery, ScheduledQuery__Output as _caracal_schedule_v1_ScheduledQuery__Output } from '../../../caracal/schedule/v1/ScheduledQuery';

export interface ListScheduledQueriesResponse {
  'scheduledQueries'?: (_caracal_schedule_v1_ScheduledQuery)[];
}

export interface ListScheduledQueriesResponse__Output {
  'scheduledQueries': (_caracal_schedule_v1_ScheduledQuery__Output)[];
}
