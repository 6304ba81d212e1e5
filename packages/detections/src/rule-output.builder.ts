import { NormalizedEvent, RuleError, RuleMatch, RuleSettings, SourcePosition } from '@caracal/core/messages';
import type { RuleSpec } from './content.types';
import type { RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';

// The stream's rules-worker and a replay build their outputs here: the same alerts from the same outcomes.

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
    ...(rule.scheduled ? { scheduled: true } : {}),
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
