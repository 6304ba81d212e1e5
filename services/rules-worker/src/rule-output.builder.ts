import { alertDedupKey, NormalizedEvent, RuleError, RuleMatch, RuleSettings, ruleErrorDedup, SourcePosition } from '@caracal/core/messages';
import { TRACEPARENT_HEADER } from '@caracal/core/observability';
import type { RuleOutcomeError, RuleOutcomeMatch, RuleSpec } from '@caracal/detections';
import type { OutgoingMessage } from '@caracal/bus';

export function ruleSettings(rule: RuleSpec): RuleSettings {
  return {
    ruleId: rule.ruleId,
    ruleSeverity: rule.severity,
    dedupPeriodMinutes: rule.dedupPeriodMinutes,
    threshold: rule.threshold,
    createAlert: rule.createAlert,
    outputIds: rule.outputIds,
    tags: rule.tags,
    reports: rule.reports,
  };
}

interface OutputContext {
  rule: RuleSettings;
  event: NormalizedEvent;
  source: SourcePosition;
  matchedAtMs: number;
}

export function buildRuleMatch(o: RuleOutcomeMatch, ctx: OutputContext): RuleMatch {
  const { kind: _kind, eventIndex: _eventIndex, ruleId: _ruleId, ...outcome } = o;
  // What the process said comes first: the tenant, rule and event are ours, whatever it said.
  return { ...outcome, ...ctx, tenantId: ctx.event.p_tenant_id };
}

export function buildRuleError(o: RuleOutcomeError, ctx: OutputContext): RuleError {
  const { kind: _kind, eventIndex: _eventIndex, ruleId: _ruleId, ...outcome } = o;
  return { ...outcome, ...ctx, tenantId: ctx.event.p_tenant_id };
}

export function ruleMatchMessage(m: RuleMatch): OutgoingMessage {
  return { key: alertDedupKey(m.tenantId, m.rule.ruleId, 'RULE', m.dedup), value: JSON.stringify(m) };
}

export function ruleErrorMessage(e: RuleError): OutgoingMessage {
  return { key: alertDedupKey(e.tenantId, e.rule.ruleId, 'RULE_ERROR', ruleErrorDedup(e)), value: JSON.stringify(e) };
}

/** The message with the traceparent of the event it came from, when that event had one. */
export function withTrace(message: OutgoingMessage, traceparent: string | undefined): OutgoingMessage {
  return traceparent ? { ...message, headers: { [TRACEPARENT_HEADER]: traceparent } } : message;
}
