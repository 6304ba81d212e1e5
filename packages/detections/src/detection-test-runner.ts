import { InvalidArgumentError, NotFoundError } from '@caracal/core';
import { RuleErrorOutcome, RuleMatchOutcome } from '@caracal/core/messages';
import type { ContentSet } from './content.types';
import { InvalidContentError } from './errors';
import type { RuleTestReport } from './rule-test-report';
import { RuleTestOptions, TestCase, runRuleTests, runTestCases } from './rule-test-runner';

export interface DetectionTestInput {
  /** Events to run the detection on; without them, the detection's own Tests run. */
  events?: Record<string, unknown>[];
}

/** What the detection did with one given event. */
export type DetectionEventResult =
  | ({ eventIndex: number; matched: true } & RuleMatchOutcome)
  /** `error`: rule() raised, returned a non-bool, ran over its limits, or its module did not load. */
  | { eventIndex: number; matched: false; error?: RuleErrorOutcome };

export type DetectionTestResult = { kind: 'tests'; report: RuleTestReport } | { kind: 'events'; results: DetectionEventResult[] };

export type DetectionTestOptions = Omit<RuleTestOptions, 'filter'>;

function checkEvents(events: unknown): asserts events is Record<string, unknown>[] {
  if (!Array.isArray(events)) throw new InvalidArgumentError('events must be a list of objects');
  events.forEach((event, i) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new InvalidArgumentError(`events[${i}] must be an object, got ${event === null ? 'null' : Array.isArray(event) ? 'a list' : typeof event}`);
    }
  });
}

/**
 * Tries one rule of `content` (for the API's Test): on the given events, each
 * giving what streaming would report (the match with its title, dedup,
 * severity, alert context..., or the rule error); without events, its own
 * Tests. Events go through the same Python path as Tests, so, as in a test,
 * the rule runs whatever the event's p_log_type and enabled or not; the data
 * model follows p_log_type, else (given events only: a test's Log gets none,
 * as in the reference tool) the rule's first LogType. Runs in fresh
 * interpreters with a fresh cache, under the given (streaming) limits; only
 * this rule is loaded, with the content's globals and data models.
 */
export async function testDetection(
  content: ContentSet,
  ruleId: string,
  input: DetectionTestInput,
  options: DetectionTestOptions = {},
): Promise<DetectionTestResult> {
  if (content.errors.length > 0) throw new InvalidContentError(content.errors);
  const rule = content.rules.find((r) => r.ruleId === ruleId);
  if (!rule) throw new NotFoundError(`no streaming rule ${JSON.stringify(ruleId)} in the content`);
  const alone: ContentSet = { ...content, rules: [rule], policies: [] };
  if (input.events === undefined) return { kind: 'tests', report: await runRuleTests(alone, options) };

  checkEvents(input.events);
  const cases: TestCase[] = input.events.map((log, i) => ({ ruleId, name: `event ${i}`, expectedResult: true, log, mocks: [], logTypeFallback: true }));
  const results = await runTestCases(alone, cases, { ...options, withOutcomes: true });
  return {
    kind: 'events',
    results: results.map((result, eventIndex): DetectionEventResult => {
      const outcome = result.outcome ?? null;
      if (outcome?.kind === 'match') {
        const { kind: _kind, ruleId: _ruleId, ...match } = outcome;
        return { eventIndex, matched: true, ...match };
      }
      if (outcome?.kind === 'error') {
        return { eventIndex, matched: false, error: { errorType: outcome.errorType, message: outcome.message, traceback: outcome.traceback } };
      }
      return { eventIndex, matched: false };
    }),
  };
}
