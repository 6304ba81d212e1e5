import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { type BusProducer, ensureContractTopics, type MessageBus, publish, RULE_MATCHES, SCHEDULED_ROWS } from '@caracal/bus';
import { CONFIG, CONTROL_STORE, CaracalConfig, CaracalError, describeError, LAKE_CLIENT, LOGGER, Logger, MESSAGE_BUS, NotFoundError, UnavailableError } from '@caracal/core';
import type { ControlStore } from '@caracal/core/control-plane';
import { correlationRuleLogType } from '@caracal/core/messages';
import { type ContentSet, type QuerySchedule, ScheduleTicks } from '@caracal/detections';
import type { LakeClient } from '@caracal/lake';
import { type CorrelationRunOutputs, runCorrelationRule } from './correlation-rule.runner';
import { CorrelationSignalsReader } from './correlation-signals.reader';
import { type CatchUp, dueTicks } from './due-ticks';
import { LocalScheduledRunLedger } from './local-scheduled-run.ledger';
import { RedisScheduledRunLedger } from './redis-scheduled-run.ledger';
import { runScheduledQuery, type ScheduledQueryExecutor, type ScheduledRunOutputs } from './scheduled-query.runner';
import type { ScheduledQueries, ScheduledRunRecord, ScheduleView } from './scheduled-query.types';
import type { ScheduledRunLedger, TickRef } from './scheduled-run.ledger';
import { ScheduledRunRecords } from './scheduled-run.records';

/** A tenant's content: the pack with the tenant's own detections over it. */
export interface TenantContentSource {
  contentFor(tenantId: string): ContentSet;
}

/** A scheduled query or a correlation rule, as the loop runs it: its name in the ledger and records, its schedule, one run. */
interface Scheduled {
  name: string;
  schedule: QuerySchedule;
  /** `since`: when it was first scheduled; ticks before it never ran. */
  run(tenantId: string, tick: Date, since: Date): Promise<ScheduledRunRecord>;
}

/** Nest tokens of what the scheduler is given by the process it runs in (the API's). */
export const SCHEDULE_CONTENT = Symbol('SCHEDULE_CONTENT');
export const SCHEDULED_QUERY_EXECUTOR = Symbol('SCHEDULED_QUERY_EXECUTOR');

// A live owner's run is cancelled at its TimeoutMinutes; the margin covers publishing its rows
// and its record after that, so that its lease never ends while it still works.
const LEASE_MARGIN_MS = 60_000;
// A done mark outlives the catch-up window, or a tick at its edge could be claimed again.
const DONE_MARGIN_MS = 60 * 60_000;
const CONTENT_RETRY_MS = 1000;
// Timers fire at or after their time; a tick looked at a hair early would wait a whole poll.
const WAKE_LATE_MS = 5;

/**
 * Runs every tenant's enabled scheduled queries and correlation rules on their
 * schedules (decisions 0025, 0027): at each look, each one's due ticks, oldest first, each claimed in
 * the shared ledger before it runs, so that however many API processes run
 * this, a tick runs once. Tenants are looked at side by side: one tenant's
 * slow query delays that tenant's next runs, not another's.
 */
@Injectable()
export class SchedulerService implements ScheduledQueries, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private ledger: ScheduledRunLedger | undefined;
  private producer: BusProducer | undefined;
  private readonly records: ScheduledRunRecords;
  private readonly signals: CorrelationSignalsReader;
  private readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly busy = new Map<string, Promise<void>>();
  private readonly catchUp: CatchUp;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LAKE_CLIENT) lake: LakeClient,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
    @Inject(SCHEDULE_CONTENT) private readonly content: TenantContentSource,
    @Inject(SCHEDULED_QUERY_EXECUTOR) private readonly executor: ScheduledQueryExecutor,
  ) {
    this.records = new ScheduledRunRecords(lake);
    this.signals = new CorrelationSignalsReader(lake);
    this.catchUp = { windowMs: config.scheduler.catchUpWindowMs, maxTicks: config.scheduler.catchUpMaxTicks };
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureContractTopics(this.bus, [SCHEDULED_ROWS, RULE_MATCHES]);
    this.producer = await this.bus.producer();
    const redisUrl = this.config.cache.redisUrl;
    this.ledger =
      redisUrl === undefined
        ? LocalScheduledRunLedger.open(path.join(this.config.dataDir, 'scheduler'))
        : await RedisScheduledRunLedger.connect(redisUrl, { namespace: this.config.kafka.topicPrefix, connectTimeoutMs: this.config.cache.connectTimeoutMs, logger: this.logger });
    if (this.config.scheduler.enabled) this.loop = this.run();
  }

  /** Before the query service cancels what runs: a run cancelled by the stop is given back, not recorded. */
  onModuleDestroy(): void {
    this.stopping = true;
    this.wake?.();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled(this.busy.values());
    await this.ledger?.close();
  }

  async list(tenantId: string): Promise<ScheduleView[]> {
    const content = this.content.contentFor(tenantId);
    const latest = await this.records.latest(tenantId);
    const now = new Date();
    return content.scheduledQueries.map((q) => {
      const next = q.enabled ? new ScheduleTicks(q.schedule).next(now) : undefined;
      const lastRun = latest.get(q.queryName);
      return {
        queryName: q.queryName,
        description: q.description,
        enabled: q.enabled,
        ...(q.schedule.cronExpression === undefined ? {} : { cronExpression: q.schedule.cronExpression }),
        ...(q.schedule.rateMinutes === undefined ? {} : { rateMinutes: q.schedule.rateMinutes }),
        timeoutMinutes: q.schedule.timeoutMinutes,
        scheduledRules: content.scheduledRules
          .filter((r) => r.enabled && r.scheduledQueries.includes(q.queryName))
          .map((r) => r.ruleId)
          .sort(),
        ...(next === undefined ? {} : { nextRunAt: next }),
        ...(lastRun === undefined ? {} : { lastRun }),
      };
    });
  }

  async runNow(tenantId: string, queryName: string): Promise<ScheduledRunRecord> {
    const query = this.content.contentFor(tenantId).scheduledQueries.find((q) => q.queryName === queryName);
    if (!query) throw new NotFoundError(`no scheduled query "${queryName}"`);
    // A manual run is its own unit (trigger MANUAL, its own row ids): it needs no claim.
    return runScheduledQuery({ tenantId, query, tick: new Date(), trigger: 'MANUAL' }, this.executor, this.outputs());
  }

  runs(tenantId: string, options: { queryName?: string; limit: number }): Promise<ScheduledRunRecord[]> {
    return this.records.list(tenantId, options);
  }

  private outputs(): ScheduledRunOutputs & CorrelationRunOutputs {
    const producer = this.producer;
    if (!producer) throw new UnavailableError('the scheduler is still starting; try again in a moment');
    return {
      publishRows: (events) => publish(producer, SCHEDULED_ROWS, events),
      publishMatches: (matches) => publish(producer, RULE_MATCHES, matches),
      record: (run) => this.records.record(run),
    };
  }

  /** What of a tenant's content runs on a schedule: its enabled scheduled queries and correlation rules. */
  private scheduledOf(content: ContentSet): Scheduled[] {
    const queries: Scheduled[] = content.scheduledQueries
      .filter((q) => q.enabled)
      .map((query) => ({
        name: query.queryName,
        schedule: query.schedule,
        run: (tenantId, tick) => runScheduledQuery({ tenantId, query, tick, trigger: 'SCHEDULE' }, this.executor, this.outputs()),
      }));
    const correlations: Scheduled[] = (content.correlationRules ?? [])
      .filter((r) => r.enabled)
      .map((rule) => {
        const ticks = new ScheduleTicks(rule.detection.schedule);
        const lookbackMs = rule.detection.lookbackWindowMinutes * 60_000;
        return {
          // Its runs are recorded, and its ticks claimed, under the name of its matches' log type.
          name: correlationRuleLogType(rule.ruleId),
          schedule: rule.detection.schedule,
          run: (tenantId, tick, since) => {
            // Only a tick that was due can have told a match: one before the rule was first scheduled never ran.
            const [previous] = ticks.between(new Date(Math.max(tick.getTime() - lookbackMs, since.getTime() - 1)), new Date(tick.getTime() - 1), 1);
            return runCorrelationRule({ tenantId, rule, tick, previousTick: previous, trigger: 'SCHEDULE' }, this.signals, this.outputs());
          },
        };
      });
    return [...queries, ...correlations];
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const now = new Date();
      let wakeAt = now.getTime() + this.config.scheduler.pollIntervalMs;
      let tenants: string[] = [];
      try {
        tenants = this.control.snapshot().tenants.map((t) => t.id);
      } catch (err) {
        // The loop must outlive a control file caught mid-write or unreadable: it looks again at the next poll.
        this.logger.error({ err: describeError(err) }, 'tenants not read; scheduled queries looked at again at the next poll');
      }
      for (const tenantId of tenants) {
        let scheduled: Scheduled[];
        try {
          scheduled = this.scheduledOf(this.content.contentFor(tenantId));
        } catch (err) {
          // At start the API's detections may still be loading: look again soon, not a poll later.
          if (err instanceof CaracalError && err.retriable) wakeAt = Math.min(wakeAt, now.getTime() + CONTENT_RETRY_MS);
          else this.logger.warn({ tenant: tenantId, err: describeError(err) }, 'scheduled queries not looked at: the tenant content is not readable');
          continue;
        }
        for (const item of scheduled) {
          const next = new ScheduleTicks(item.schedule).next(now);
          if (next !== undefined) wakeAt = Math.min(wakeAt, next.getTime());
        }
        if (scheduled.length > 0 && !this.busy.has(tenantId)) {
          const pass = this.pass(tenantId, scheduled, now).finally(() => this.busy.delete(tenantId));
          this.busy.set(tenantId, pass);
        }
      }
      await this.sleepUntil(wakeAt + WAKE_LATE_MS);
    }
  }

  private sleepUntil(atMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, atMs - Date.now()));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Runs one tenant's due ticks, item by item, oldest first. Never rejects: what failed is logged and tried at the next look. */
  private async pass(tenantId: string, scheduled: Scheduled[], now: Date): Promise<void> {
    const ledger = this.ledger;
    if (!ledger) return;
    for (const item of scheduled) {
      if (this.stopping) return;
      try {
        const since = await ledger.scheduledSince(tenantId, item.name, now);
        for (const tick of dueTicks(new ScheduleTicks(item.schedule), since, now, this.catchUp)) {
          if (this.stopping) return;
          await this.runTick(ledger, { tenantId, queryName: item.name, tick }, item, since);
        }
      } catch (err) {
        this.logger.warn({ tenant: tenantId, query: item.name, err: describeError(err) }, 'scheduled run not made; tried again at the next look');
      }
    }
  }

  private async runTick(ledger: ScheduledRunLedger, ref: TickRef, item: Scheduled, since: Date): Promise<void> {
    const leaseMs = item.schedule.timeoutMinutes * 60_000 + LEASE_MARGIN_MS;
    if ((await ledger.claim(ref, this.owner, leaseMs)) !== 'claimed') return;
    let record: ScheduledRunRecord;
    try {
      record = await item.run(ref.tenantId, ref.tick, since);
    } catch (err) {
      await ledger.release(ref, this.owner).catch(() => undefined);
      throw err;
    }
    await ledger.markDone(ref, this.catchUp.windowMs + DONE_MARGIN_MS);
    const level = record.outcome === 'SUCCEEDED' ? 'info' : 'warn';
    this.logger[level]({ tenant: ref.tenantId, query: ref.queryName, tick: ref.tick.toISOString(), rows: record.rows, outcome: record.outcome, error: record.error || undefined, durationMs: record.durationMs }, 'scheduled query ran');
  }
}
