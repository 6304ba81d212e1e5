import type { NormalizedEvent, Severity } from './event.types';

/** A rule's alerts, a scheduled rule's (on a scheduled query's rows), the errors of each, and a correlation rule's. */
export type AlertType = 'RULE' | 'RULE_ERROR' | 'SCHEDULED_RULE' | 'SCHEDULED_RULE_ERROR' | 'CORRELATION_RULE';
export const ALERT_TYPES: readonly AlertType[] = ['RULE', 'RULE_ERROR', 'SCHEDULED_RULE', 'SCHEDULED_RULE_ERROR', 'CORRELATION_RULE'];
export type AlertStatus = 'OPEN' | 'TRIAGED' | 'RESOLVED' | 'CLOSED';
export const ALERT_STATUSES: readonly AlertStatus[] = ['OPEN', 'TRIAGED', 'RESOLVED', 'CLOSED'];

/** Where a rule output came from: the log message the rules-worker read. */
export interface SourcePosition {
  topic: string;
  partition: number;
  offset: string;
}

/** What a rule output carries of its rule, so the alert stage needs no content of its own. */
export interface RuleSettings {
  ruleId: string;
  ruleSeverity: Severity;
  dedupPeriodMinutes: number;
  threshold: number;
  createAlert: boolean;
  outputIds: string[];
  tags: string[];
  reports: Record<string, string[]>;
  /** A scheduled rule (its events are a scheduled query's rows): its alerts are SCHEDULED_RULE(_ERROR). Absent: a rule. */
  scheduled?: boolean;
  /** A correlation rule (its event is a match over other rules' signals): its alerts are CORRELATION_RULE. Absent: not one. */
  correlation?: boolean;
}

interface RuleOutputBase {
  tenantId: string;
  rule: RuleSettings;
  event: NormalizedEvent;
  source: SourcePosition;
  /** The rules-worker's clock when it evaluated the event: the alert stage's only clock, so a replay decides the same. */
  matchedAtMs: number;
}

/** What a rule's functions said about one matched event. */
export interface RuleMatchOutcome {
  title: string;
  dedup: string;
  severity: Severity;
  alertContext: Record<string, unknown>;
  description: string;
  reference: string;
  runbook: string;
  /** destinations() of the rule: null means route by OutputIds then severity; [] suppresses delivery. */
  destinations: string[] | null;
  /** Errors raised by auxiliary functions (title, dedup, ...), kept on the alert. */
  auxErrors: string[];
}

/** What a rule raised on one event. */
export interface RuleErrorOutcome {
  errorType: string;
  message: string;
  traceback: string;
}

/** What a rules-worker publishes for an event that matched a rule (topic rule-matches). */
export interface RuleMatch extends RuleOutputBase, RuleMatchOutcome {}

/** What a rules-worker publishes for an event whose rule raised (topic rule-errors). */
export interface RuleError extends RuleOutputBase, RuleErrorOutcome {}

/**
 * One alert as the alert stage keeps it: published on the `alerts` topic
 * (compacted, keyed by dedup key) after every change, so the topic is both the
 * stage's output and the state it rebuilds from after a restart.
 */
export interface AlertRecord {
  alertId: string;
  tenantId: string;
  type: AlertType;
  ruleId: string;
  /** tenant, rule and dedup string (and a marker for rule errors): the partition key. */
  dedupKey: string;
  dedup: string;
  title: string;
  severity: Severity;
  ruleSeverity: Severity;
  logTypes: string[];
  eventCount: number;
  threshold: number;
  dedupPeriodMinutes: number;
  /** ClickHouse DateTime64(3) text in UTC, like every time below. */
  firstEventTime: string;
  lastEventTime: string;
  /** The window opens here: the first match's time. */
  createdAt: string;
  updatedAt: string;
  /** When the event count reached the threshold; null while below it (not listed, not delivered). */
  thresholdReachedAt: string | null;
  /** The version whose update reached the threshold: the one record that triggers delivery. */
  thresholdReachedVersion: number | null;
  /** INFO alerts start RESOLVED, others OPEN. */
  initialStatus: AlertStatus;
  alertContext: Record<string, unknown>;
  description: string;
  reference: string;
  runbook: string;
  tags: string[];
  reports: Record<string, string[]>;
  /** destinations() of the first match; null routes by outputIds, then by severity. */
  destinationOverride: string[] | null;
  outputIds: string[];
  auxErrors: string[];
  /** For RULE_ERROR and SCHEDULED_RULE_ERROR alerts. */
  errorType: string;
  errorMessage: string;
  /** Grows by one with every update of this dedup key, across windows. */
  version: number;
  /**
   * The highest source offset counted, per source partition (`topic/partition`).
   * Matches of one key arrive in source order, so an offset at or below it is
   * a replay of a match already counted.
   */
  sourceOffsets: Record<string, string>;
}

/** A matched or errored event with its alert columns, as the alert stage hands it to the writer (topic alert-events). */
export interface AlertEventRecord {
  kind: 'match' | 'error';
  logType: string;
  /** The row of panther_rule_matches.<table> or panther_rule_errors.<table>. */
  row: Record<string, unknown>;
}

export type DeliveryOutcome = 'DELIVERED' | 'FAILED' | 'SUPPRESSED';

/** One delivery of one alert to one destination, after its retries (topic alert-deliveries). */
export interface AlertDeliveryRecord {
  tenantId: string;
  alertId: string;
  destinationId: string;
  destinationType: string;
  outcome: DeliveryOutcome;
  attempts: number;
  /** The last HTTP status seen; 0 when none came back. */
  httpStatus: number;
  error: string;
  /** ClickHouse DateTime64(3) text in UTC. */
  attemptedAt: string;
}
