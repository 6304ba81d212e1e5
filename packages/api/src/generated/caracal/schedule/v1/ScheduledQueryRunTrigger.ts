// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto

export const ScheduledQueryRunTrigger = {
  SCHEDULED_QUERY_RUN_TRIGGER_UNSPECIFIED: 'SCHEDULED_QUERY_RUN_TRIGGER_UNSPECIFIED',
  SCHEDULED_QUERY_RUN_TRIGGER_SCHEDULE: 'SCHEDULED_QUERY_RUN_TRIGGER_SCHEDULE',
  SCHEDULED_QUERY_RUN_TRIGGER_MANUAL: 'SCHEDULED_QUERY_RUN_TRIGGER_MANUAL',
} as const;

export type ScheduledQueryRunTrigger =
  | 'SCHEDULED_QUERY_RUN_TRIGGER_UNSPECIFIED'
  | 0
  | 'SCHEDULED_QUERY_RUN_TRIGGER_SCHEDULE'
  | 1
  | 'SCHEDULED_QUERY_RUN_TRIGGER_MANUAL'
  | 2

export type ScheduledQueryRunTrigger__Output = typeof ScheduledQueryRunTrigger[keyof typeof ScheduledQueryRunTrigger]
