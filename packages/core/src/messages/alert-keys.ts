import type { AlertType, RuleError } from './alert.types';

const MAX_DEDUP_CHARS = 1000;

/**
 * The key of everything that feeds one alert: the partition key of
 * rule-matches, rule-errors and alerts, so one alert-stage partition sees all
 * of a key, in order (alert-events, for the lake, is keyed by tenant and alert
 * id: see the topic contracts in @caracal/bus). Tenant and rule ids cannot hold `|`;
 * the dedup string, which can, comes last.
 */
export function alertDedupKey(tenantId: string, ruleId: string, type: AlertType, dedup: string): string {
  return type === 'RULE' ? `${tenantId}|${ruleId}|${dedup}` : `${tenantId}|${ruleId}|rule-error|${dedup}`;
}

/** Rule errors of one rule dedupe on the exception's type and first line, not on the event. */
export function ruleErrorDedup(e: Pick<RuleError, 'errorType' | 'message'>): string {
  const firstLine = e.message.split('\n', 1)[0] ?? '';
  return `${e.errorType}: ${firstLine}`.slice(0, MAX_DEDUP_CHARS);
}
