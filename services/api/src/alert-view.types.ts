import type { AlertStatus, AlertType, DeliveryOutcome, Severity } from '@caracal/core/messages';

/** An alert as people see it: its latest version with the status and assignee people gave it. */
export interface AlertView {
  alertId: string;
  type: AlertType;
  ruleId: string;
  dedup: string;
  title: string;
  severity: Severity;
  ruleSeverity: Severity;
  status: AlertStatus;
  /** Empty when unassigned. */
  assignee: string;
  logTypes: string[];
  eventCount: number;
  threshold: number;
  dedupPeriodMinutes: number;
  firstEventTime: Date;
  lastEventTime: Date;
  createdTime: Date;
  /** The later of the alert's last update and its last activity. */
  updatedTime: Date;
  /** JSON object text. */
  alertContextJson: string;
  description: string;
  reference: string;
  runbook: string;
  tags: string[];
  /** null routes by outputIds, then by severity; [] suppresses delivery. */
  destinationOverride: string[] | null;
  outputIds: string[];
  auxErrors: string[];
  errorType: string;
  errorMessage: string;
}

export type AlertActivityKind = 'STATUS' | 'ASSIGNEE' | 'COMMENT';

export interface AlertActivityView {
  activityId: string;
  kind: AlertActivityKind;
  /** Set for STATUS rows only. */
  status: AlertStatus | undefined;
  assignee: string;
  comment: string;
  actor: string;
  createdTime: Date;
}

export interface AlertDeliveryView {
  destinationId: string;
  destinationType: string;
  outcome: DeliveryOutcome;
  attempts: number;
  httpStatus: number;
  error: string;
  attemptedTime: Date;
}

export interface AlertDetail {
  alert: AlertView;
  /** The matched (or errored) event rows, oldest first, each once. */
  events: Record<string, unknown>[];
  activity: AlertActivityView[];
  deliveries: AlertDeliveryView[];
}

export interface AlertListFilter {
  /** 0 or absent means the default page size. */
  pageSize?: number;
  ruleId?: string;
  statuses?: AlertStatus[];
  severities?: Severity[];
  types?: AlertType[];
  /** Inclusive. */
  createdAfterMs?: number;
  /** Exclusive. */
  createdBeforeMs?: number;
  pageToken?: string;
}

export interface AlertPage {
  alerts: AlertView[];
  /** Empty on the last page. */
  nextPageToken: string;
}
