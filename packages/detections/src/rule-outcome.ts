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
  return outcomeList(JSON.parse(json) as unknown, batchToCaller);
}

/** Outcomes of one evaluation, with the seconds each rule's functions took over the batch. */
export interface RuleEvaluation {
  outcomes: RuleOutcome[];
  /** By RuleID: time in the rule's functions (rule and auxiliary) summed over the batch's events. */
  ruleSeconds: Record<string, number>;
}

/** What the harness returns for a batch evaluated with timings. */
export function decodeEvaluation(json: string, batchToCaller: readonly number[]): RuleEvaluation {
  const raw = JSON.parse(json) as { outcomes?: unknown; ruleSeconds?: unknown } | null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('not an object with outcomes');
  const ruleSeconds = raw.ruleSeconds;
  if (ruleSeconds === null || typeof ruleSeconds !== 'object' || Array.isArray(ruleSeconds)) invalid('ruleSeconds is not an object');
  for (const [ruleId, seconds] of Object.entries(ruleSeconds)) {
    if (typeof seconds !== 'number' || !(seconds >= 0)) invalid(`seconds of ${ruleId}`);
  }
  return { outcomes: outcomeList(raw.outcomes, batchToCaller), ruleSeconds: ruleSeconds as Record<string, number> };
}

function outcomeList(raw: unknown, batchToCaller: readonly number[]): RuleOutcome[] {
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
