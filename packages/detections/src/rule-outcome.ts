import { RuleErrorOutcome, RuleMatchOutcome, SEVERITIES, Severity } from '@caracal/core';
import { DetectionRuntimeError } from './errors';

export interface RuleOutcomeMatch extends RuleMatchOutcome {
  kind: 'match';
  eventIndex: number;
  ruleId: string;
}

export interface RuleOutcomeError extends RuleErrorOutcome {
  kind: 'error';
  eventIndex: number;
  ruleId: string;
}

export type RuleOutcome = RuleOutcomeMatch | RuleOutcomeError;

function invalid(detail: string): never {
  throw new DetectionRuntimeError(`the Python harness returned an invalid outcome: ${detail}`, { code: 'INTERNAL' });
}

/**
 * Outcomes as the harness returns them, with `eventIndex` mapped from the
 * position in the batch sent to Python back to the caller's array.
 */
export function decodeOutcomes(json: string, batchToCaller: readonly number[]): RuleOutcome[] {
  const raw = JSON.parse(json) as unknown;
  if (!Array.isArray(raw)) invalid('not a list');
  return raw.map((item: Record<string, unknown>) => {
    const eventIndex = batchToCaller[item.eventIndex as number];
    if (eventIndex === undefined) invalid(`event index ${String(item.eventIndex)}`);
    if (item.kind === 'match') {
      if (!SEVERITIES.includes(item.severity as Severity)) invalid(`severity ${String(item.severity)}`);
      return { ...(item as unknown as RuleOutcomeMatch), eventIndex };
    }
    if (item.kind === 'error') return { ...(item as unknown as RuleOutcomeError), eventIndex };
    return invalid(`kind ${String(item.kind)}`);
  });
}
