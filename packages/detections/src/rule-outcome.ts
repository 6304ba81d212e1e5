import { RuleErrorOutcome, RuleMatchOutcome, SEVERITIES, Severity } from '@caracal/core/messages';
import { InvalidArgumentError } from '@caracal/core';
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
  return outcomeList(JSON.parse(json) as unknown, batchToCaller, undefined);
}

/** Outcomes of one evaluation, with the seconds each rule's functions took over the batch. */
export interface RuleEvaluation {
  outcomes: RuleOutcome[];
  /** By RuleID: time in the rule's functions (rule and auxiliary) summed over the batch's events. */
  ruleSeconds: Record<string, number>;
}

/**
 * Which rules may answer for an event: the tenant's enabled rules of its log
 * type. The answer comes from a process running customer code, so it is
 * decoded as untrusted input: a rule the tenant does not have, a field that is
 * not an outcome's (a `tenantId`, say), or a value of the wrong type makes the
 * whole answer invalid.
 */
export type RuleAllowance = (ruleId: string, eventIndex: number) => boolean;

/** What the harness returns for a batch evaluated with timings. */
export function decodeEvaluation(json: string, batchToCaller: readonly number[], allowed?: RuleAllowance): RuleEvaluation {
  let raw: { outcomes?: unknown; ruleSeconds?: unknown } | null;
  try {
    raw = JSON.parse(json) as { outcomes?: unknown; ruleSeconds?: unknown } | null;
  } catch (err) {
    return invalid(`not JSON (${(err as Error).message.slice(0, 200)})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid('not an object with outcomes');
  const mismatch = (raw as { tenantMismatch?: { index?: unknown; tenant?: unknown } }).tenantMismatch;
  if (mismatch !== undefined) {
    // Nothing ran: the harness found an event of another tenant before any detection.
    const index = typeof mismatch?.index === 'number' ? batchToCaller[mismatch.index] : undefined;
    if (index === undefined) invalid('a tenant mismatch without its event');
    throw new InvalidArgumentError(`event ${index} belongs to tenant ${String(mismatch.tenant).slice(0, 200)}, not this tenant`);
  }
  const ruleSeconds = raw.ruleSeconds;
  if (ruleSeconds === null || typeof ruleSeconds !== 'object' || Array.isArray(ruleSeconds)) invalid('ruleSeconds is not an object');
  const seconds: Record<string, number> = {};
  for (const [ruleId, value] of Object.entries(ruleSeconds)) {
    if (typeof value !== 'number' || !(value >= 0)) invalid(`seconds of ${ruleId.slice(0, 200)}`);
    seconds[ruleId] = value;
  }
  return { outcomes: outcomeList(raw.outcomes, batchToCaller, allowed), ruleSeconds: seconds };
}

function text(item: Record<string, unknown>, key: string): string {
  const value = item[key];
  if (typeof value !== 'string') invalid(`${key} is not a string`);
  return value;
}

function texts(item: Record<string, unknown>, key: string): string[] {
  const value = item[key];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) invalid(`${key} is not a list of strings`);
  return value as string[];
}

const MATCH_KEYS = new Set(['kind', 'ruleId', 'eventIndex', 'title', 'dedup', 'severity', 'alertContext', 'description', 'reference', 'runbook', 'destinations', 'auxErrors']);
const ERROR_KEYS = new Set(['kind', 'ruleId', 'eventIndex', 'errorType', 'message', 'traceback']);

function outcomeList(raw: unknown, batchToCaller: readonly number[], allowed: RuleAllowance | undefined): RuleOutcome[] {
  if (!Array.isArray(raw)) invalid('not a list');
  return raw.map((value: unknown): RuleOutcome => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return invalid('an outcome is not an object');
    const item = value as Record<string, unknown>;
    const eventIndex = typeof item.eventIndex === 'number' ? batchToCaller[item.eventIndex] : undefined;
    if (eventIndex === undefined) invalid(`event index ${String(item.eventIndex).slice(0, 50)}`);
    const ruleId = text(item, 'ruleId');
    if (allowed && !allowed(ruleId, eventIndex)) invalid(`rule ${ruleId.slice(0, 200)} is not an enabled rule of this tenant for event ${eventIndex}`);
    const keys = item.kind === 'match' ? MATCH_KEYS : item.kind === 'error' ? ERROR_KEYS : undefined;
    if (!keys) return invalid(`kind ${String(item.kind).slice(0, 50)}`);
    for (const key of Object.keys(item)) if (!keys.has(key)) invalid(`unexpected field ${key.slice(0, 100)}`);
    if (item.kind === 'error') {
      return { kind: 'error', ruleId, eventIndex, errorType: text(item, 'errorType'), message: text(item, 'message'), traceback: text(item, 'traceback') };
    }
    const severity = item.severity as Severity;
    if (!SEVERITIES.includes(severity)) invalid(`severity ${String(item.severity).slice(0, 50)}`);
    const context = item.alertContext;
    if (context === null || typeof context !== 'object' || Array.isArray(context)) invalid('alertContext is not an object');
    return {
      kind: 'match',
      ruleId,
      eventIndex,
      title: text(item, 'title'),
      dedup: text(item, 'dedup'),
      severity,
      alertContext: context as Record<string, unknown>,
      description: text(item, 'description'),
      reference: text(item, 'reference'),
      runbook: text(item, 'runbook'),
      destinations: item.destinations === null ? null : texts(item, 'destinations'),
      auxErrors: texts(item, 'auxErrors'),
    };
  });
}
