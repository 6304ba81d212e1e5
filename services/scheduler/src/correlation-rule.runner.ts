import { createHash } from 'node:crypto';
import { correlationRuleLogType, type RuleMatch, toClickHouseTime } from '@caracal/core/messages';
import { correlationMatchKeys, type CorrelationRuleSpec } from '@caracal/detections';
import type { CorrelationSignalsReader, ReadSignal } from './correlation-signals.reader';
import { derivedEvent } from './derived-event';
import type { ScheduledRunRecord, ScheduledRunTrigger } from './scheduled-query.types';

/** Where a correlation run's outputs go: its matches to the alert stage, its record to the lake. */
export interface CorrelationRunOutputs {
  publishMatches(matches: RuleMatch[]): Promise<void>;
  record(run: ScheduledRunRecord): Promise<void>;
}

export interface CorrelationRun {
  tenantId: string;
  rule: CorrelationRuleSpec;
  tick: Date;
  /** The rule's tick before this one, when it is within the lookback window: what matched then is not told again. */
  previousTick?: Date;
  trigger: ScheduledRunTrigger;
}

/** The source of correlation matches, as the alert stage sees it: one partition, ticks for offsets, so that a repeated tick is a replay. */
const SOURCE_TOPIC = 'correlation-rules';
const MINUTE_MS = 60_000;

function matchOf(run: CorrelationRun, key: string, signals: ReadSignal[]): RuleMatch {
  const { rule, tenantId, tick } = run;
  const at = toClickHouseTime(tick);
  const ids = signals.map((s) => s.id).sort();
  const latest = signals.reduce((t, s) => Math.max(t, s.atMs), 0);
  const title = `${rule.displayName || rule.ruleId}${key ? ` (${key})` : ''}`;
  return {
    tenantId,
    rule: {
      ruleId: rule.ruleId,
      ruleSeverity: rule.severity,
      // The pattern stays in the window for as long as the window: one alert for it, not one per run.
      dedupPeriodMinutes: rule.detection.lookbackWindowMinutes,
      threshold: 1,
      createAlert: rule.createAlert,
      outputIds: [],
      tags: [],
      reports: {},
      correlation: true,
    },
    event: {
      ...derivedEvent({
        logType: correlationRuleLogType(rule.ruleId),
        tenantId,
        rowId: createHash('sha256').update(`${tenantId}\n${rule.ruleId}\n${tick.getTime()}\n${key}`).digest('hex').slice(0, 32),
        eventTime: toClickHouseTime(new Date(latest > 0 ? latest : tick.getTime())),
        parseTime: at,
        sourceId: 'correlation-rule',
        sourceLabel: rule.ruleId,
      }),
      correlation_key: key,
      signal_row_ids: ids,
    },
    source: { topic: SOURCE_TOPIC, partition: 0, offset: String(tick.getTime()) },
    matchedAtMs: tick.getTime(),
    title,
    dedup: key || rule.ruleId,
    severity: rule.severity,
    alertContext: { correlation_key: key, signals: ids.length },
    description: rule.description,
    reference: '',
    runbook: '',
    destinations: null,
    auxErrors: [],
  };
}

/**
 * One run of a correlation rule at its tick: the signals of its window read
 * from the lake, the join values it matches for, and, of those, the ones it
 * did not already match for at its previous tick (judged on the signals that
 * had been matched by then): a pattern is told when it appears, and a signal
 * that reached the lake late still counts. Its matches go to the alert stage
 * as a rule's do, typed CORRELATION_RULE; its record is a run of the rule.
 */
export async function runCorrelationRule(run: CorrelationRun, reader: CorrelationSignalsReader, outputs: CorrelationRunOutputs, clock: () => Date = () => new Date()): Promise<ScheduledRunRecord> {
  const startedAt = clock();
  const lookbackMs = run.rule.detection.lookbackWindowMinutes * MINUTE_MS;
  const from = new Date((run.previousTick ?? run.tick).getTime() - lookbackMs);
  const signals = await reader.read(run.tenantId, run.rule, from, run.tick);
  const now = correlationMatchKeys(run.rule.detection, signals, run.tick.getTime());
  const previous = run.previousTick;
  const before =
    previous === undefined
      ? new Set<string>()
      : new Set(correlationMatchKeys(run.rule.detection, signals.filter((s) => s.matchedAtMs <= previous.getTime()), previous.getTime()).map((m) => m.key));
  const fresh = now.filter((m) => !before.has(m.key));
  await outputs.publishMatches(fresh.map((m) => matchOf(run, m.key, m.signals as ReadSignal[])));
  const record: ScheduledRunRecord = {
    tenantId: run.tenantId,
    queryName: correlationRuleLogType(run.rule.ruleId),
    scheduledTime: run.tick,
    trigger: run.trigger,
    startedAt,
    durationMs: Math.max(0, clock().getTime() - startedAt.getTime()),
    rows: fresh.length,
    outcome: 'SUCCEEDED',
    error: '',
  };
  await outputs.record(record);
  return record;
}
