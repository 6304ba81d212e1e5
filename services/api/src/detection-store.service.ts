import * as fs from 'node:fs';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type BusProducer, type BusTopicReader, DETECTIONS, ensureContractTopics, type MessageBus, publish } from '@caracal/bus';
import { CONFIG, CaracalConfig, CaracalError, describeError, InvalidArgumentError, LOGGER, Logger, MAX_TEST_EVENTS, MESSAGE_BUS, NotFoundError } from '@caracal/core';
import { DetectionFiles, TenantDetectionRecord } from '@caracal/core/messages';
import {
  ContentSet,
  DetectionEventResult,
  loadContent,
  parseDetectionFiles,
  RuleSpec,
  RuleTestResult,
  sandboxOptions,
  TenantDetectionLedger,
  tenantContent,
  testDetection,
} from '@caracal/detections';
import { TestRunLimiter } from './test-run.limiter';
import { actorName, Caller } from './token-auth.service';

const CATCH_UP_TIMEOUT_MS = 30_000;

export interface DetectionView {
  spec: RuleSpec;
  origin: 'PACK' | 'TENANT';
  /** The tenant's latest change of this RuleID, for TENANT detections. */
  record?: TenantDetectionRecord;
}

export interface DetectionTestOutcome {
  tests: (RuleTestResult & { expectedResult: boolean })[];
  events: DetectionEventResult[];
  passed: boolean;
}

/**
 * The tenants' detections as the API sees them: the content pack, with each
 * tenant's changes from the compacted detections topic laid over it. Changes
 * go to that topic, which the rules workers follow too; this process's view
 * is caught up before each change, so a change builds on the latest one.
 */
@Injectable()
export class DetectionStoreService implements OnApplicationBootstrap, OnApplicationShutdown {
  private base: ContentSet | undefined;
  private reader: BusTopicReader | undefined;
  private producer: BusProducer | undefined;
  private readonly ledger = new TenantDetectionLedger();
  /** Each tenant's merged content, made again only when its records change: every read would otherwise parse them all. */
  private readonly contents = new Map<string, ContentSet>();
  /** Every run of a detection's code here (Tests, given events) takes a slot first. */
  private readonly testRuns: TestRunLimiter;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.testRuns = new TestRunLimiter(config.query.testRunsPerTenant, config.query.testRunsTotal);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.base = await loadContent(this.config.rulesDir);
    await ensureContractTopics(this.bus, [DETECTIONS]);
    this.producer = await this.bus.producer();
    this.reader = this.bus.reader(DETECTIONS.name);
    await this.reader.run((partition, messages) => {
      for (const m of messages) {
        try {
          const changed = this.ledger.take(m.key, m.value);
          if (changed !== undefined) this.contents.delete(changed);
        } catch (err) {
          this.logger.warn({ partition, offset: m.offset, key: m.key, problem: describeError(err) }, 'unreadable tenant detection record skipped');
        }
      }
    });
    await this.reader.caughtUp(CATCH_UP_TIMEOUT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reader?.stop();
  }

  /** The tenant's content; `candidate` stands in for the stored record of its RuleID, if any. */
  private contentOf(tenantId: string, candidate?: TenantDetectionRecord): ContentSet {
    const cached = candidate === undefined ? this.contents.get(tenantId) : undefined;
    if (cached) return cached;
    const stored = this.ledger.recordsOf(tenantId).filter((r) => r.ruleId !== candidate?.ruleId);
    const { content, problems } = tenantContent(this.requireBase(), candidate ? [...stored, candidate] : stored);
    for (const p of problems) this.logger.warn({ tenantId, ruleId: p.ruleId, version: p.version, error: p.error.message }, 'stored detection skipped');
    if (candidate === undefined) this.contents.set(tenantId, content);
    return content;
  }

  /** The tenant's content: the pack with the tenant's detections over it (what its scheduled queries come from). */
  contentFor(tenantId: string): ContentSet {
    return this.contentOf(tenantId);
  }

  private requireBase(): ContentSet {
    if (!this.base) throw new CaracalError('UNAVAILABLE', 'detections are still loading; try again in a moment', { retriable: true });
    return this.base;
  }

  list(tenantId: string, logType?: string): DetectionView[] {
    return this.contentOf(tenantId)
      .rules.filter((r) => !logType || r.logTypes.includes(logType))
      .map((spec) => this.view(tenantId, spec))
      .sort((a, b) => a.spec.ruleId.localeCompare(b.spec.ruleId));
  }

  get(tenantId: string, ruleId: string): DetectionView & DetectionFiles {
    const spec = this.contentOf(tenantId).rules.find((r) => r.ruleId === ruleId);
    if (!spec) throw new NotFoundError(`no detection "${ruleId}"`);
    const view = this.view(tenantId, spec);
    const files = view.record?.files ?? { yaml: fs.readFileSync(spec.filePath, 'utf8'), python: spec.pythonSource };
    return { ...view, ...files };
  }

  /** Validates, runs the detection's Tests, then publishes it; returns once the change is durable. */
  async put(caller: Caller, files: DetectionFiles, skipTests: boolean): Promise<{ view: DetectionView; replaced: boolean; tests: DetectionTestOutcome['tests'] }> {
    const spec = parseDetectionFiles(files);
    await this.reader?.caughtUp(CATCH_UP_TIMEOUT_MS);
    const previous = this.ledger.get(caller.tenantId, spec.ruleId);
    const replaced = this.contentOf(caller.tenantId).rules.some((r) => r.ruleId === spec.ruleId);
    const record: TenantDetectionRecord = {
      tenantId: caller.tenantId,
      ruleId: spec.ruleId,
      files,
      version: (previous?.version ?? 0) + 1,
      updatedAtMs: Date.now(),
      updatedBy: actorName(caller),
    };
    const outcome = await this.runTests(caller.tenantId, this.contentOf(caller.tenantId, record), spec.ruleId, []);
    const failed = outcome.tests.filter((t) => !t.passed);
    if (failed.length > 0 && !skipTests) {
      throw new InvalidArgumentError(
        `${failed.length} of ${outcome.tests.length} Tests of ${spec.ruleId} failed, so it was not stored: ${failed.map((t) => `${t.name}${t.reason ? ` (${t.reason})` : ''}`).join('; ')}`,
      );
    }
    await this.publish(record);
    return { view: this.view(caller.tenantId, spec), replaced, tests: outcome.tests };
  }

  async delete(caller: Caller, ruleId: string): Promise<void> {
    await this.reader?.caughtUp(CATCH_UP_TIMEOUT_MS);
    if (!this.contentOf(caller.tenantId).rules.some((r) => r.ruleId === ruleId)) throw new NotFoundError(`no detection "${ruleId}"`);
    const previous = this.ledger.get(caller.tenantId, ruleId);
    await this.publish({
      tenantId: caller.tenantId,
      ruleId,
      version: (previous?.version ?? 0) + 1,
      updatedAtMs: Date.now(),
      updatedBy: actorName(caller),
    });
  }

  /** A stored detection (by RuleID) or one given as files; on the given events, or its own Tests. */
  async test(tenantId: string, input: { ruleId?: string; files?: DetectionFiles; events: Record<string, unknown>[] }): Promise<DetectionTestOutcome> {
    if (input.events.length > MAX_TEST_EVENTS) throw new InvalidArgumentError(`at most ${MAX_TEST_EVENTS} events per test, got ${input.events.length}`);
    let content: ContentSet;
    let ruleId: string;
    if (input.files) {
      const spec = parseDetectionFiles(input.files);
      ruleId = spec.ruleId;
      content = this.contentOf(tenantId, { tenantId, ruleId, files: input.files, version: 0, updatedAtMs: 0, updatedBy: '' });
    } else {
      if (!input.ruleId) throw new InvalidArgumentError('give rule_id, or yaml and python');
      ruleId = input.ruleId;
      content = this.contentOf(tenantId);
      if (!content.rules.some((r) => r.ruleId === ruleId)) throw new NotFoundError(`no detection "${ruleId}"`);
    }
    return this.runTests(tenantId, content, ruleId, input.events);
  }

  /**
   * The content a replay runs: the tenant's, with the detection (stored, or
   * given as files and not stored) as its only rule, enabled whatever its
   * spec says, since a replay is how one sees a rule before enabling it.
   */
  replayContent(tenantId: string, input: { ruleId?: string; files?: DetectionFiles }): { content: ContentSet; rule: RuleSpec } {
    let content: ContentSet;
    let ruleId: string;
    if (input.files) {
      ruleId = parseDetectionFiles(input.files).ruleId;
      content = this.contentOf(tenantId, { tenantId, ruleId, files: input.files, version: 0, updatedAtMs: 0, updatedBy: '' });
    } else {
      if (!input.ruleId) throw new InvalidArgumentError('give rule_id, or yaml and python');
      ruleId = input.ruleId;
      content = this.contentOf(tenantId);
    }
    const rule = content.rules.find((r) => r.ruleId === ruleId);
    if (!rule) {
      const other = content.scheduledRules.some((r) => r.ruleId === ruleId) ? 'a scheduled rule' : content.correlationRules?.some((r) => r.ruleId === ruleId) ? 'a correlation rule' : undefined;
      if (other) throw new InvalidArgumentError(`${ruleId} is ${other}: replay runs streaming rules over the events in the lake`);
      throw new NotFoundError(`no detection "${ruleId}"`);
    }
    const replayed = { ...rule, enabled: true };
    return { content: { ...content, rules: [replayed], scheduledRules: [], correlationRules: [] }, rule: replayed };
  }

  /** Runs `run` in one of the tenant's detection-run slots (those of TestDetection): it starts interpreters of its own. */
  async withDetectionRun<T>(tenantId: string, run: () => Promise<T>): Promise<T> {
    const release = this.testRuns.acquire(tenantId);
    try {
      return await run();
    } finally {
      release();
    }
  }

  private async runTests(tenantId: string, content: ContentSet, ruleId: string, events: Record<string, unknown>[]): Promise<DetectionTestOutcome> {
    return this.withDetectionRun(tenantId, () => this.runTestsNow(content, ruleId, events));
  }

  private async runTestsNow(content: ContentSet, ruleId: string, events: Record<string, unknown>[]): Promise<DetectionTestOutcome> {
    const options = { detectionTimeoutMs: this.config.detections.detectionTimeoutMs, processes: 1, processMemoryLimitMb: this.config.detections.processMemoryLimitMb, sandbox: sandboxOptions(this.config), logger: this.logger };
    if (events.length > 0) {
      const result = await testDetection(content, ruleId, { events }, options);
      const eventResults = result.kind === 'events' ? result.results : [];
      return { tests: [], events: eventResults, passed: eventResults.every((e) => e.matched || e.error === undefined) };
    }
    const result = await testDetection(content, ruleId, {}, options);
    const expected = new Map((content.rules.find((r) => r.ruleId === ruleId)?.tests ?? []).map((t) => [t.name, t.expectedResult]));
    const tests = (result.kind === 'tests' ? result.report.results : []).map((t) => ({ ...t, expectedResult: expected.get(t.name) ?? false }));
    return { tests, events: [], passed: tests.every((t) => t.passed) };
  }

  private async publish(record: TenantDetectionRecord): Promise<void> {
    await publish(this.producer!, DETECTIONS, [record]);
    // Read-your-writes in this process, whatever the reader's pace.
    if (this.ledger.put(record) !== undefined) this.contents.delete(record.tenantId);
  }

  private view(tenantId: string, spec: RuleSpec): DetectionView {
    const record = this.ledger.get(tenantId, spec.ruleId);
    return record?.files ? { spec, origin: 'TENANT', record } : { spec, origin: 'PACK' };
  }
}
