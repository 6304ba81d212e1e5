import os from 'node:os';
import type { Logger } from '@caracal/core';
import { ContentSnapshot } from './content-snapshot';
import { runCorrelationRuleTests } from './correlation-rule-tests';
import type { ContentSet, RuleTestMock } from './content.types';
import { DEFAULT_DETECTION_TIMEOUT_MS, DEFAULT_PROCESS_MEMORY_LIMIT_MB, DEFAULT_SANDBOX, killGraceMs, splitEvenly } from './detection-engine';
import { InMemoryKvStore } from './kv/in-memory-kv-store';
import type { RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
import type { RuleTestReport, RuleTestResult } from './rule-test-report';
import { DetectionProcessPool } from './sandbox/detection-process-pool';
import type { SandboxOptions } from './sandbox/sandbox-launch';

export interface RuleTestOptions {
  /** Only rules whose RuleID contains this text (case-insensitive). */
  filter?: string;
  logger?: Logger;
  /** Detection processes; default: one per core, fewer for few tests. */
  processes?: number;
  detectionTimeoutMs?: number;
  processMemoryLimitMb?: number;
  sandbox?: SandboxOptions;
  /** Called as parts of the run finish, with the tests done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** One test as the harness runs it: a log, what rule() should return, the mocks. */
export interface TestCase {
  /** The RuleID, or the PolicyID of a policy's test. */
  ruleId: string;
  name: string;
  expectedResult: boolean;
  /** The event; a policy's test: its Resource. */
  log: Record<string, unknown>;
  mocks: RuleTestMock[];
  /** A policy's test: policy(resource), which alerts on False. */
  kind?: 'policy';
  expectedDestinations?: string[];
  /** A scheduled rule's test: its rows get no data model (nor do they in production). */
  scheduled?: boolean;
  /** Without p_log_type, take the data model of the rule's first LogType (events tried through the API). */
  logTypeFallback?: boolean;
}

/**
 * What the detection returned in a test: as streaming reports it (without
 * the event index and rule id), or null when it did not match or never ran.
 */
export type TestCaseOutcome = Omit<RuleOutcomeMatch, 'eventIndex'> | Omit<RuleOutcomeError, 'eventIndex'> | null;

export interface TestCaseResult extends RuleTestResult {
  /** Only when asked for. */
  outcome?: TestCaseOutcome;
}

/**
 * Each worker costs an interpreter start and a content load; below this many
 * tests per worker that costs more than running them in fewer workers.
 */
const MIN_TESTS_PER_WORKER = 200;

/**
 * A worker's tests go in parts of about this many, queued on its process, so
 * that progress can be told while it runs; one request per part costs little
 * next to the tests themselves.
 */
const TESTS_PER_PART = 50;

/**
 * Runs test cases in fresh interpreters with a fresh cache, so that the
 * results do not depend on state left by streaming evaluation, under the same
 * time and memory limits as streaming. Results are in the order of `cases`.
 */
export async function runTestCases(
  content: ContentSet,
  cases: readonly TestCase[],
  options: Omit<RuleTestOptions, 'filter'> & { withOutcomes?: boolean } = {},
): Promise<TestCaseResult[]> {
  const snapshot = ContentSnapshot.of(content, { keepPayload: true, withPolicies: cases.some((c) => c.kind === 'policy') });
  if (cases.length === 0) return [];
  const threads = options.processes ?? Math.min(os.availableParallelism(), Math.ceil(cases.length / MIN_TESTS_PER_WORKER));
  const timeoutMs = options.detectionTimeoutMs ?? DEFAULT_DETECTION_TIMEOUT_MS;
  const kvStore = new InMemoryKvStore();
  const pool = new DetectionProcessPool({
    maxProcesses: threads,
    limits: {
      detectionTimeoutMs: timeoutMs,
      memoryLimitMb: options.processMemoryLimitMb ?? DEFAULT_PROCESS_MEMORY_LIMIT_MB,
    },
    kvStore,
    killGraceMs: killGraceMs(timeoutMs),
    sandbox: options.sandbox ?? DEFAULT_SANDBOX,
    logger: options.logger,
  });
  try {
    // Without a progress callback, one part per worker, as before: nothing to tell in between.
    const parts = options.onProgress ? Math.max(threads, Math.ceil(cases.length / TESTS_PER_PART)) : threads;
    const chunks = splitEvenly(cases, parts);
    let done = 0;
    const answers = await Promise.all(
      chunks.map(async (chunk, i) => {
        // Parts of one lane queue on its process and run in turn.
        const answer = await pool.run('rule-tests', i % threads, { kind: 'tests', tenantId: 'rule-tests', content: snapshot, tests: Buffer.from(JSON.stringify(chunk)), units: chunk.length, withOutcomes: options.withOutcomes });
        done += chunk.length;
        options.onProgress?.(done, cases.length);
        return answer;
      }),
    );
    return answers.flatMap((answer) => JSON.parse(answer.body.toString('utf8')) as TestCaseResult[]);
  } finally {
    await pool.close();
    await kvStore.close();
  }
}

/**
 * Runs the Tests of every rule and policy (enabled or not); see runTestCases.
 * A policy's results carry its PolicyID as `ruleId`. A rule that is also in
 * `content.scheduledRules` is tested as the scheduled rule it is.
 */
export async function runRuleTests(content: ContentSet, options: RuleTestOptions = {}): Promise<RuleTestReport> {
  const filter = options.filter?.toLowerCase();
  const selected = (id: string): boolean => filter === undefined || id.toLowerCase().includes(filter);
  const scheduled = new Set(content.scheduledRules.map((r) => r.ruleId));
  const ruleCases: TestCase[] = content.rules
    .filter((rule) => selected(rule.ruleId))
    .flatMap((rule) =>
      rule.tests.map((test) => ({
        ruleId: rule.ruleId,
        name: test.name,
        expectedResult: test.expectedResult,
        log: test.log,
        mocks: test.mocks,
        ...(test.expectedDestinations === undefined ? {} : { expectedDestinations: test.expectedDestinations }),
        ...(scheduled.has(rule.ruleId) ? { scheduled: true } : {}),
      })),
    );
  const policyCases: TestCase[] = (content.policies ?? [])
    .filter((policy) => selected(policy.policyId))
    .flatMap((policy) =>
      policy.tests.map((test) => ({
        ruleId: policy.policyId,
        name: test.name,
        expectedResult: test.expectedResult,
        log: test.resource,
        mocks: test.mocks,
        kind: 'policy' as const,
      })),
    );
  const cases = [...ruleCases, ...policyCases];
  const results = [...(await runTestCases(content, cases, options)), ...runCorrelationRuleTests((content.correlationRules ?? []).filter((rule) => selected(rule.ruleId)))];
  const passed = results.filter((r) => r.passed).length;
  return { results, total: results.length, passed, failed: results.length - passed };
}
