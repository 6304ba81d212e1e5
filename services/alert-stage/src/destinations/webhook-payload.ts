import { type AlertRecord, type AlertStatus, type AlertType, isErrorAlertType, type Severity } from '@caracal/core/messages';
import { isoUtc } from './alert-time';

/**
 * The JSON body of a generic webhook, version 1. Fields are only ever added
 * within a version; a change to an existing field gets a new `version`, so
 * receivers may rely on this shape. Times are ISO-8601 UTC (`...Z`).
 */
export interface WebhookPayloadV1 {
  version: 1;
  /** `<alertId>:<destinationId>`, the same on every retry: receivers drop repeats by it. */
  deliveryId: string;
  alert: {
    id: string;
    tenantId: string;
    type: AlertType;
    ruleId: string;
    title: string;
    severity: Severity;
    dedup: string;
    eventCount: number;
    firstEventTime: string | null;
    lastEventTime: string | null;
    createdAt: string | null;
    updatedAt: string | null;
    /** The status the alert was opened with (INFO alerts start RESOLVED). */
    status: AlertStatus;
    alertContext: Record<string, unknown>;
    description: string;
    reference: string;
    runbook: string;
    tags: string[];
    logTypes: string[];
    /** For RULE_ERROR and SCHEDULED_RULE_ERROR alerts: what the rule raised; null otherwise. */
    error: { type: string; message: string } | null;
  };
}

export function buildWebhookPayload(alert: AlertRecord, deliveryId: string): WebhookPayloadV1 {
  return {
    version: 1,
    deliveryId,
    alert: {
      id: alert.alertId,
      tenantId: alert.tenantId,
      type: alert.type,
      ruleId: alert.ruleId,
      title: alert.title,
      severity: alert.severity,
      dedup: alert.dedup,
      eventCount: alert.eventCount,
      firstEventTime: isoUtc(alert.firstEventTime),
      lastEventTime: isoUtc(alert.lastEventTime),
      createdAt: isoUtc(alert.createdAt),
      updatedAt: isoUtc(alert.updatedAt),
      status: alert.initialStatus,
      alertContext: alert.alertContext,
      description: alert.description,
      reference: alert.reference,
      runbook: alert.runbook,
      tags: alert.tags,
      logTypes: alert.logTypes,
      error: isErrorAlertType(alert.type) ? { type: alert.errorType, message: alert.errorMessage } : null,
    },
  };
}
