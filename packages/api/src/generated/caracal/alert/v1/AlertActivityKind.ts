// Original file: ../../proto/caracal/alert/v1/alert_service.proto

export const AlertActivityKind = {
  ALERT_ACTIVITY_KIND_UNSPECIFIED: 'ALERT_ACTIVITY_KIND_UNSPECIFIED',
  ALERT_ACTIVITY_KIND_STATUS: 'ALERT_ACTIVITY_KIND_STATUS',
  ALERT_ACTIVITY_KIND_ASSIGNEE: 'ALERT_ACTIVITY_KIND_ASSIGNEE',
  ALERT_ACTIVITY_KIND_COMMENT: 'ALERT_ACTIVITY_KIND_COMMENT',
} as const;

export type AlertActivityKind =
  | 'ALERT_ACTIVITY_KIND_UNSPECIFIED'
  | 0
  | 'ALERT_ACTIVITY_KIND_STATUS'
  | 1
  | 'ALERT_ACTIVITY_KIND_ASSIGNEE'
  | 2
  | 'ALERT_ACTIVITY_KIND_COMMENT'
  | 3

export type AlertActivityKind__Output = typeof AlertActivityKind[keyof typeof AlertActivityKind]
