import { NormalizedEvent, RuleMatch } from '@caracal/core';
import type { RuleOutcomeMatch, RuleSpec } from '@caracal/detections';
import { alertIdFor } from './alert-id';

export function buildRuleMatch(outcome: RuleOutcomeMatch, rule: RuleSpec, event: NormalizedEvent): RuleMatch {
  const eventTimeMs = Date.parse(`${event.p_event_time.replace(' ', 'T')}Z`);
  const { alertId } = alertIdFor({
    tenantId: event.p_tenant_id,
    ruleId: rule.ruleId,
    dedup: outcome.dedup,
    eventTimeMs,
    dedupPeriodMinutes: rule.dedupPeriodMinutes,
  });
  return {
    tenantId: event.p_tenant_id,
    ruleId: rule.ruleId,
    ruleSeverity: rule.severity,
    severity: outcome.severity,
    title: outcome.title,
    dedup: outcome.dedup,
    dedupPeriodMinutes: rule.dedupPeriodMinutes,
    alertId,
    tags: rule.tags,
    reports: rule.reports,
    alertContext: outcome.alertContext,
    description: outcome.description,
    reference: outcome.reference,
    runbook: outcome.runbook,
    auxErrors: outcome.auxErrors,
    event,
  };
}
