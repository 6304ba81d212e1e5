import os from 'node:os';
import type { Logger } from '@caracal/core';
import { contentPayload } from './content-payload';
import type { ContentSet } from './content.types';
import { DEFAULT_DETECTION_TIMEOUT_MS, DEFAULT_WORKER_MEMORY_LIMIT_MB, killGraceMs, splitEvenly } from './detection-engine';
import { InvalidContentError } from './errors';
import { InMemoryKvStore } from './kv/in-memory-kv-store';
import type { RuleTestReport, RuleTestResult } from './rule-test-report';
import { DetectionWorkerPool } from './worker/detection-worker-pool';

export interface RuleTestOptions {
  /** Only rules whose RuleID contains this text (case-insensitive). */
  filter?: string;
  logger?: Logger;
  /** Worker threads; default: one per core, fewer for few tests. */
  workerThreads?: number;
  detectionTimeoutMs?: number;
}

/**
 * Each worker costs an interpreter start and a content load; below this many
 * tests per worker that costs more than running them in fewer workers.
 */
const MIN_TESTS_PER_WORKER = 200;

/**
 * Runs the Tests of every rule (enabled or not) in fresh interpreters with a
 * fresh cache, so that the results do not depend on state left by streaming
 * evaluation, under the same time and memory limits as streaming.
 */
export async function runRuleTests(content: ContentSet, options: RuleTestOptions = {}): Promise<RuleTestReport> {
  if (content.errors.length > 0) throw new InvalidContentError(content.errors);
  const filter = options.filter?.toLowerCase();
  const tests = content.rules
    .filter((rule) => filter === undefined || rule.ruleId.toLowerCase().includes(filter))
    .flatMap((rule) =>
      rule.tests.map((test) => ({
        ruleId: rule.ruleId,
        name: test.name,
        expectedResult: test.expectedResult,
        log: test.log,
        mocks: test.mocks,
      })),
    );
  let results: RuleTestResult[] = [];
  if (tests.length > 0) {
    const threads = options.workerThreads ?? Math.min(os.availableParallelism(), Math.ceil(tests.length / MIN_TESTS_PER_WORKER));
    const timeoutMs = options.detectionTimeoutMs ?? DEFAULT_DETECTION_TIMEOUT_MS;
    const kvStore = new InMemoryKvStore();
    const pool = new DetectionWorkerPool({
      threads,
      contentPayload: contentPayload(content),
      limits: { detectionTimeoutMs: timeoutMs, memoryLimitMb: DEFAULT_WORKER_MEMORY_LIMIT_MB, interpretersPerWorker: 1 },
      kvStore,
      killGraceMs: killGraceMs(timeoutMs),
      logger: options.logger,
    });
    try {
      const chunks = splitEvenly(tests, threads);
      const answers = await Promise.all(
        chunks.map((chunk, i) => pool.run(i, { kind: 'tests', tenantId: 'rule-tests', testsJson: JSON.stringify(chunk) })),
      );
      results = answers.flatMap((answer) => JSON.parse(answer.json) as RuleTestResult[]);
    } finally {
      await pool.close();
      await kvStore.close();
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, total: results.length, passed, failed: results.length - passed };
}
