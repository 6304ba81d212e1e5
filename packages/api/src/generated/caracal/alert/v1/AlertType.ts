// Original file: ../../proto/caracal/alert/v1/alert_service.proto

export const AlertType = {
  ALERT_TYPE_UNSPECIFIED: 'ALERT_TYPE_UNSPECIFIED',
  ALERT_TYPE_RULE: 'ALERT_TYPE_RULE',
  ALERT_TYPE_RULE_ERROR: 'ALERT_TYPE_RULE_ERROR',
  ALERT_TYPE_SCHEDULED_RULE: 'ALERT_TYPE_SCHEDULED_RULE',
  ALERT_TYPE_SCHEDULED_RULE_ERROR: 'ALERT_TYPE_SCHEDULED_RULE_ERROR',
} as const;

export type AlertType =
  | 'ALERT_TYPE_UNSPECIFIED'
  | 0
  | 'ALERT_TYPE_RULE'
  | 1
  | 'ALERT_TYPE_RULE_ERROR'
  | 2
  | 'ALERT_TYPE_SCHEDULED_RULE'
  | 3
  | 'ALERT_TYPE_SCHEDULED_RULE_ERROR'
  | 4

export type AlertType__Output = typeof AlertType[keyof typeof AlertType]
