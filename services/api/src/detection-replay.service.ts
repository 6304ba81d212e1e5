import { Inject, Injectable } from '@nestjs/common';
import { CaracalError, CONFIG, CaracalConfig, InvalidArgumentError, LOGGER, Logger } from '@caracal/core';
import { AlertType, fromClickHouseTime, NormalizedEvent } from '@caracal/core/messages';
import { buildRuleError, buildRuleMatch, DetectionEngine, InMemoryKvStore, ruleSettings, sandboxOptions } from '@caracal/detections';
import { AlertQueryService } from './alert-query.service';
import { DetectionStoreService } from './detection-store.service';
import { MAX_REPLAY_LISTED, ReplayProgress, ReplayReport, ReplayRequest, ReplayRunOptions } from './detection-replay.types';
import { dedupDifferences, ReplayAlerts, toReplayAlert } from './replay-alerts';
import { ReplayEventsReader } from './replay-events.reader';
import { SqlQueryService } from './sql-query.service';

/** Events handed to the detection process at once. */
const EVALUATE_BATCH = 2_000;
/** The most rows one page of the lake reads (the tenant's result limit may be lower). */
const MAX_PAGE_ROWS = 5_000;
const PROGRESS_INTERVAL_MS = 1_000;
/** Live alerts read for the comparison: pages of the alert list. */
const LIVE_ALERT_PAGE = 1_000;
const MAX_LIVE_ALERTS = 100_000;
const REPLAY_SOURCE_TOPIC = 'replay';
const RULE_TYPES: AlertType[] = ['RULE', 'RULE_ERROR'];

/**
 * Replays a detection over the tenant's events in the lake: what it would
 * have raised had it been live over the window. The events go in event-time
 * order through the stream's engine (its sandbox, one tenant per process) and
 * the alert stage's dedup fold, with event time as the clock of both and of a
 * key-value cache made for this replay alone. Nothing is published, stored or
 * delivered: the report is the only output, and only the caller gets it.
 */
@Injectable()
export class DetectionReplayService {
  constructor(
    @Inject(DetectionStoreService) private readonly store: DetectionStoreService,
    @Inject(SqlQueryService) private readonly sql: SqlQueryService,
    @Inject(AlertQueryService) private readonly alerts: AlertQueryService,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async replay(tenantId: string, request: ReplayRequest, options: ReplayRunOptions = {}): Promise<ReplayReport> {
    const { sinceMs, untilMs } = request;
    if (!Number.isFinite(sinceMs) || !Number.isFinite(untilMs) || untilMs <= sinceMs) {
      throw new InvalidArgumentError(`the replay window must end after it starts, got ${new Date(sinceMs).toISOString()} to ${new Date(untilMs).toISOString()}`);
    }
    const { content, rule } = this.store.replayContent(tenantId, request);
    return this.store.withDetectionRun(tenantId, () => this.run(tenantId, content, rule, request, options));
  }

  private async run(
    tenantId: string,
    content: Parameters<typeof DetectionEngine.create>[0],
    rule: ReturnType<DetectionStoreService['replayContent']>['rule'],
    request: ReplayRequest,
    options: ReplayRunOptions,
  ): Promise<ReplayReport> {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const signal = options.signal;
    const window = { sinceMs: request.sinceMs, untilMs: request.untilMs };
    const reader = new ReplayEventsReader(this.sql, tenantId, rule.logTypes, window, Math.min(MAX_PAGE_ROWS, this.config.query.maxResultRows), signal);
    // The cache's clock is the time of the event whose detection calls it: the batch's event times by index.
    let batchTimesMs: number[] = [];
    const kvStore = new InMemoryKvStore(({ unit }) => (unit !== undefined && batchTimesMs[unit] !== undefined ? batchTimesMs[unit] : (batchTimesMs.at(-1) ?? request.sinceMs)));
    // One process: a batch is not split over lanes, so the cache sees the events in their order.
    const engine = await DetectionEngine.create(content, {
      processesPerTenant: 1,
      maxProcesses: 1,
      detectionTimeoutMs: this.config.detections.detectionTimeoutMs,
      processMemoryLimitMb: this.config.detections.processMemoryLimitMb,
      sandbox: sandboxOptions(this.config),
      kvStore,
      closeKvStore: true,
      logger: this.logger,
    });
    const settings = ruleSettings(rule);
    const folded = new ReplayAlerts();
    let eventsRead = 0;
    let eventsMatched = 0;
    let ruleErrors = 0;
    let eventBytes = 0;
    let detectionSeconds = 0;
    let eventTime = '';
    try {
      const eventsTotal = await reader.count();
      let lastProgressMs = 0;
      const progress = async (force: boolean) => {
        const now = Date.now();
        if (!options.onProgress || (!force && now - lastProgressMs < PROGRESS_INTERVAL_MS)) return;
        lastProgressMs = now;
        const seconds = elapsed();
        const rate = seconds > 0 ? eventsRead / seconds : 0;
        const report: ReplayProgress = {
          eventsRead,
          eventsTotal,
          eventsPerSecond: rate,
          etaSeconds: rate > 0 ? Math.max(0, eventsTotal - eventsRead) / rate : undefined,
          eventTime,
        };
        await options.onProgress(report);
      };
      await progress(true);
      let sequence = 0;
      for await (const events of reader.batches(EVALUATE_BATCH)) {
        signal?.throwIfAborted();
        batchTimesMs = events.map((e) => fromClickHouseTime(e.p_event_time).getTime());
        const body = Buffer.from(`[${events.map((e) => JSON.stringify(e)).join(',')}]`);
        eventBytes += body.length;
        const { outcomes, ruleSeconds } = await engine.evaluateEncodedTimed(tenantId, body);
        detectionSeconds += ruleSeconds[rule.ruleId] ?? 0;
        const outputs: Parameters<ReplayAlerts['add']>[0] = [];
        for (const o of outcomes) {
          const event: NormalizedEvent | undefined = events[o.eventIndex];
          if (!event || o.ruleId !== rule.ruleId) continue;
          // The event's time is the output's time, and its place in the replay its offset.
          const ctx = { rule: settings, event, matchedAtMs: batchTimesMs[o.eventIndex], source: { topic: REPLAY_SOURCE_TOPIC, partition: 0, offset: String(sequence + o.eventIndex) } };
          if (o.kind === 'match') {
            eventsMatched += 1;
            outputs.push({ kind: 'match', match: buildRuleMatch(o, ctx) });
          } else {
            ruleErrors += 1;
            outputs.push({ kind: 'error', error: buildRuleError(o, ctx) });
          }
        }
        folded.add(outputs);
        sequence += events.length;
        eventsRead += events.length;
        eventTime = events[events.length - 1].p_event_time;
        await progress(false);
      }
      await progress(true);
    } catch (err) {
      if (signal?.aborted) throw new CaracalError('CANCELLED', `the replay of ${rule.ruleId} was cancelled after ${eventsRead} events`, { cause: err });
      throw err;
    } finally {
      await engine.close();
    }

    const raised = folded.raised();
    const alerts = raised.filter((a) => a.type === 'RULE');
    const errorAlerts = raised.filter((a) => a.type === 'RULE_ERROR');
    const liveStarted = process.hrtime.bigint();
    const { alerts: live, queries: liveQueries } = await this.liveAlerts(tenantId, rule.ruleId, request);
    const liveSeconds = Number(process.hrtime.bigint() - liveStarted) / 1e9;
    const { same, differences } = dedupDifferences(raised, live);
    return {
      ruleId: rule.ruleId,
      logTypes: [...rule.logTypes],
      sinceMs: request.sinceMs,
      untilMs: request.untilMs,
      eventsRead,
      eventsMatched,
      ruleErrors,
      alertCount: alerts.length,
      alerts: alerts.slice(0, MAX_REPLAY_LISTED).map(toReplayAlert),
      alertsTruncated: alerts.length > MAX_REPLAY_LISTED,
      errorAlertCount: errorAlerts.length,
      errorAlerts: errorAlerts.slice(0, MAX_REPLAY_LISTED).map(toReplayAlert),
      errorAlertsTruncated: errorAlerts.length > MAX_REPLAY_LISTED,
      comparison: {
        liveAlerts: live.length,
        sameDedups: same,
        differences: differences.slice(0, MAX_REPLAY_LISTED),
        differencesTruncated: differences.length > MAX_REPLAY_LISTED,
      },
      cost: {
        lakeQueries: reader.cost.queries + liveQueries,
        eventBytes,
        lakeSeconds: reader.cost.seconds + liveSeconds,
        detectionSeconds,
        elapsedSeconds: elapsed(),
      },
    };
  }

  /**
   * The alerts the live detection raised over the window: those whose first
   * event is in it. Alerts are created after their first event, so none
   * created before the window can count.
   */
  private async liveAlerts(tenantId: string, ruleId: string, request: ReplayRequest): Promise<{ alerts: { type: AlertType; dedup: string }[]; queries: number }> {
    const found: { type: AlertType; dedup: string }[] = [];
    let pageToken = '';
    let queries = 0;
    do {
      queries += 1;
      const page = await this.alerts.list(tenantId, { ruleId, types: RULE_TYPES, createdAfterMs: request.sinceMs, pageSize: LIVE_ALERT_PAGE, ...(pageToken ? { pageToken } : {}) });
      for (const a of page.alerts) {
        const firstMs = a.firstEventTime.getTime();
        if (firstMs >= request.sinceMs && firstMs < request.untilMs) found.push({ type: a.type, dedup: a.dedup });
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== '' && found.length < MAX_LIVE_ALERTS);
    return { alerts: found, queries };
  }
}
