import type { AlertType, Severity } from '@caracal/core/messages';
import type { DetectionFiles } from '@caracal/core/messages';

/** What to replay: a detection of the tenant by RuleID, or one given as files (not stored). */
export interface ReplayRequest {
  ruleId?: string;
  files?: DetectionFiles;
  /** The window of event time, [sinceMs, untilMs). */
  sinceMs: number;
  untilMs: number;
}

/** Sent while a replay runs, at most every progress interval and once at the end of reading. */
export interface ReplayProgress {
  eventsRead: number;
  /** The events of the window, counted before reading. */
  eventsTotal: number;
  eventsPerSecond: number;
  /** Undefined until a rate is known. */
  etaSeconds: number | undefined;
  /** The event time reached, as the lake writes it ('YYYY-MM-DD hh:mm:ss.sss'); '' before the first event. */
  eventTime: string;
}

/** An alert the detection would have raised (its threshold reached), with event time as its clock. */
export interface ReplayAlert {
  type: AlertType;
  title: string;
  dedup: string;
  severity: Severity;
  eventCount: number;
  firstEventTime: string;
  lastEventTime: string;
  /** When it would have opened: the event time of its first event. */
  createdAt: string;
  /** For RULE_ERROR alerts: the error type and message. */
  errorType: string;
  errorMessage: string;
}

/** One dedup string whose alerts differ in number between the replay and the live detection. */
export interface ReplayDedupDifference {
  dedup: string;
  type: AlertType;
  replayAlerts: number;
  liveAlerts: number;
}

export interface ReplayComparison {
  /** Alerts the live detection raised with their first event in the window (threshold reached). */
  liveAlerts: number;
  /** Dedup strings with as many alerts in the replay as live. */
  sameDedups: number;
  /** Every dedup string where they differ (at most MAX_REPLAY_LISTED of them). */
  differences: ReplayDedupDifference[];
  differencesTruncated: boolean;
}

/** What the replay cost. */
export interface ReplayCost {
  /** Queries run on the lake: the count, the pages of events and the pages of live alerts. */
  lakeQueries: number;
  /** Bytes of the events read, as JSON. */
  eventBytes: number;
  /** Time spent waiting on the lake, all queries together. */
  lakeSeconds: number;
  /** Time the detection's functions ran in Python. */
  detectionSeconds: number;
  elapsedSeconds: number;
}

export interface ReplayReport {
  ruleId: string;
  logTypes: string[];
  sinceMs: number;
  untilMs: number;
  eventsRead: number;
  /** Events the rule matched (alerts or not). */
  eventsMatched: number;
  /** Events the rule raised on. */
  ruleErrors: number;
  /** Alerts of type RULE that reached their threshold: the count, and the first MAX_REPLAY_LISTED. */
  alertCount: number;
  alerts: ReplayAlert[];
  alertsTruncated: boolean;
  /** RULE_ERROR alerts (rule errors grouped as the alert stage groups them). */
  errorAlertCount: number;
  errorAlerts: ReplayAlert[];
  errorAlertsTruncated: boolean;
  comparison: ReplayComparison;
  cost: ReplayCost;
}

/** The most alerts, error alerts and differences a report lists (counts stay exact). */
export const MAX_REPLAY_LISTED = 1000;

export interface ReplayRunOptions {
  signal?: AbortSignal;
  onProgress?(progress: ReplayProgress): void | Promise<void>;
}
