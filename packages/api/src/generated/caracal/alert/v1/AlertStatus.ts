// Original file: ../../proto/caracal/alert/v1/alert_service.proto

export const AlertStatus = {
  ALERT_STATUS_UNSPECIFIED: 'ALERT_STATUS_UNSPECIFIED',
  ALERT_STATUS_OPEN: 'ALERT_STATUS_OPEN',
  ALERT_STATUS_TRIAGED: 'ALERT_STATUS_TRIAGED',
  ALERT_STATUS_RESOLVED: 'ALERT_STATUS_RESOLVED',
  ALERT_STATUS_CLOSED: 'ALERT_STATUS_CLOSED',
} as const;

export type AlertStatus =
  | 'ALERT_STATUS_UNSPECIFIED'
  | 0
  | 'ALERT_STATUS_OPEN'
  | 1
  | 'ALERT_STATUS_TRIAGED'
  | 2
  | 'ALERT_STATUS_RESOLVED'
  | 3
  | 'ALERT_STATUS_CLOSED'
  | 4

export type AlertStatus__Output = typeof AlertStatus[keyof typeof AlertStatus]
