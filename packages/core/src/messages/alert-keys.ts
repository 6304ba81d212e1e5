import type { AlertType, RuleError, RuleSettings } from './alert.types';

const MAX_DEDUP_CHARS = 1000;

/**
 * The key of everything that feeds one alert: the partition key of
 * rule-matches, rule-errors and alerts, so one alert-stage partition sees all
 * of a key, in order (alert-events, for the lake, is keyed by tenant and alert
 * id: see the topic contracts in @caracal/bus). Tenant and rule ids cannot hold `|`;
 * the dedup string, which can, comes last.
 */
export function alertDedupKey(tenantId: string, ruleId: string, type: AlertType, dedup: string): string {
  // A RuleID names a rule or a scheduled rule, never both: the type need not be in the key, only whether it is an error.
  return isErrorAlertType(type) ? `${tenantId}|${ruleId}|rule-error|${dedup}` : `${tenantId}|${ruleId}|${dedup}`;
}

/** The type of the alert a rule's output feeds: a match or an error, of a rule or of a scheduled rule. */
export function outputAlertType(kind: 'match' | 'error', rule: Pick<RuleSettings, 'scheduled' | 'correlation'>): AlertType {
  // A correlation rule runs no code of the tenant's: it has matches, never errors.
  if (rule.correlation === true) return 'CORRELATION_RULE';
  if (rule.scheduled === true) return kind === 'match' ? 'SCHEDULED_RULE' : 'SCHEDULED_RULE_ERROR';
  return kind === 'match' ? 'RULE' : 'RULE_ERROR';
}

/** Whether alerts of the type are about a rule that raised, not one that matched. */
export function isErrorAlertType(type: AlertType): boolean {
  return type === 'RULE_ERROR' || type === 'SCHEDULED_RULE_ERROR';
}

/** Rule errors of one rule dedupe on the exception's type and first line, not on the event. */
export function ruleErrorDedup(e: Pick<RuleError, 'errorType' | 'message'>): string {
  const firstLine = e.message.split('\n', 1)[0] ?? '';
  return `${e.errorType}: ${firstLine}`.slice(0, MAX_DEDUP_CHARS);
}
