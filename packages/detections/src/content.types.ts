import type { Severity } from '@caracal/core/messages';
import type { ContentError } from './errors';

export interface RuleTestMock {
  /** A name in the rule module's namespace. */
  objectName: string;
  returnValue: unknown;
}

export interface RuleTestSpec {
  name: string;
  expectedResult: boolean;
  log: Record<string, unknown>;
  mocks: RuleTestMock[];
  /** Destination names destinations() must return (empty: it must suppress, returning []). */
  expectedDestinations?: string[];
}

/**
 * One YAML match expression (Key/Condition/Value, a combinator, ...), as
 * written: checked at load (match-expression.ts), evaluated in Python.
 */
export type MatchExpression = Readonly<Record<string, unknown>>;

/** `{Key: name}`, `{DeepKey: [a, b]}` or `{KeyPath: a.b[*].c}`. */
export type KeySpecifier = Readonly<Record<string, unknown>>;

/** A rule written in YAML only: `Detection` instead of a Python module. */
export interface SimpleDetectionSpec {
  /** An implicit All. */
  detection: MatchExpression[];
  /** `{path}` placeholders take the event's values. */
  alertTitle?: string;
  alertContext?: { KeyName: string; KeyValue: KeySpecifier }[];
  /** The values that make the dedup string. */
  groupBy?: KeySpecifier[];
  /** The first whose Conditions all match sets the alert's severity. */
  dynamicSeverities?: { ChangeTo: Severity; Conditions: MatchExpression[] }[];
}

export interface RuleSpec {
  ruleId: string;
  displayName?: string;
  enabled: boolean;
  logTypes: string[];
  severity: Severity;
  dedupPeriodMinutes: number;
  threshold: number;
  createAlert: boolean;
  tags: string[];
  reports: Record<string, string[]>;
  description: string;
  reference: string;
  runbook: string;
  summaryAttributes: string[];
  outputIds: string[];
  /** The .yml (or .yaml) file. */
  filePath: string;
  /** The .py named by Filename (a simple detection: its .yml, and no source). */
  pythonPath: string;
  pythonSource: string;
  tests: RuleTestSpec[];
  /** InlineFilters: an event must pass them all for the rule to run on it. */
  inlineFilters?: MatchExpression[];
  /** Set for a YAML-only rule, which then has no Python. */
  simpleDetection?: SimpleDetectionSpec;
  /** A scheduled rule as the engine runs it: its log types are its queries' (scheduledQueryLogType). */
  scheduled?: boolean;
}

/**
 * A `scheduled_rule`: a rule run over the rows of scheduled queries instead of
 * a stream of log types.
 */
export interface ScheduledRuleSpec extends Omit<RuleSpec, 'logTypes'> {
  /** QueryName of each `scheduled_query` whose rows the rule sees. */
  scheduledQueries: string[];
}

export interface PolicyTestSpec {
  name: string;
  /** What policy() returns: False is a failing resource, which alerts. */
  expectedResult: boolean;
  resource: Record<string, unknown>;
  mocks: RuleTestMock[];
}

/**
 * A `policy`: Python judging cloud resources (policy(resource) returns False
 * for a resource that fails it). Parsed and tested; nothing takes resource
 * snapshots to run it on yet.
 */
export interface PolicySpec {
  policyId: string;
  displayName?: string;
  enabled: boolean;
  resourceTypes: string[];
  severity: Severity;
  tags: string[];
  reports: Record<string, string[]>;
  description: string;
  reference: string;
  runbook: string;
  suppressions: string[];
  outputIds: string[];
  filePath: string;
  pythonPath: string;
  pythonSource: string;
  tests: PolicyTestSpec[];
}

/** Which key of the spec holds the SQL: the reference format has one per query language. */
export type QueryKey = 'Query' | 'SnowflakeQuery' | 'AthenaQuery' | 'DatabricksQuery';

export interface QuerySchedule {
  /** Five-field cron (minute hour day-of-month month day-of-week); exactly one of this and rateMinutes. */
  cronExpression?: string;
  rateMinutes?: number;
  timeoutMinutes: number;
}

/** A `saved_query`: SQL kept under a name. */
export interface SavedQuerySpec {
  queryName: string;
  query: string;
  queryKey: QueryKey;
  description: string;
  tags: string[];
  lookback?: boolean;
  lookbackWindowSeconds?: number;
  filePath: string;
}

/** A `scheduled_query`: SQL run on a schedule, whose rows scheduled rules see. */
export interface ScheduledQuerySpec extends SavedQuerySpec {
  enabled: boolean;
  schedule: QuerySchedule;
}

/** A `global`: a Python module every rule may import by `globalId`. */
export interface GlobalModule {
  globalId: string;
  description: string;
  filePath: string;
  pythonPath: string;
  pythonSource: string;
}

export interface DataModelMapping {
  name: string;
  path?: string;
  method?: string;
}

export interface DataModel {
  id: string;
  enabled: boolean;
  logTypes: string[];
  mappings: DataModelMapping[];
  filePath: string;
  pythonPath?: string;
  pythonSource?: string;
}

/** An item Caracal recognised but does not run yet. */
export interface UnsupportedItem {
  file: string;
  analysisType: string;
  reason?: string;
}

/** One rule whose signals a correlation rule counts: a Group's member or a Sequence's step. */
export interface CorrelationItem {
  id: string;
  ruleId: string;
  /** Signals needed from it (default 1). */
  minMatchCount: number;
  maxMatchCount?: number;
  /** Its signals must not be there. */
  absence: boolean;
}

/** A Sequence's step to the next: in order, within a time frame, joined on a field. */
export interface CorrelationTransition {
  id?: string;
  from: string;
  to: string;
  /** Default: the lookback window. */
  withinTimeFrameMinutes?: number;
  /** The field path on the From step and on the To step (the same for `On`); absent: no join. */
  match?: { from: string; to: string };
}

/** A correlation rule's one `Detection` element. */
export interface CorrelationDetection {
  kind: 'group' | 'sequence';
  items: CorrelationItem[];
  /** Group only: per label, the field path of each item joined on it. */
  matchCriteria: Record<string, { groupId: string; match: string }[]>;
  /** Sequence only. */
  transitions: CorrelationTransition[];
  lookbackWindowMinutes: number;
  /** Group only: how many of its present items must be met (default all). */
  minMatchCount?: number;
  eventEvaluationOrder: 'Chronological' | 'ReverseChronological';
  schedule: QuerySchedule;
}

/** A correlation rule's test: the rules' outputs, as signals per item, field value and time. */
export interface CorrelationRuleTest {
  name: string;
  expectedResult: boolean;
  /** Per item ID: field path -> value -> times (whole minutes from a shared base, or RFC 3339 texts). */
  ruleOutputs: { id: string; matches: Record<string, Record<string, (number | string)[]>> }[];
}

/** A `correlation_rule`: a Group or Sequence of other detections' signals within a window. */
export interface CorrelationRuleSpec {
  ruleId: string;
  displayName: string;
  enabled: boolean;
  severity: Severity;
  /** False: its matches are signals only, no alert. */
  createAlert: boolean;
  description: string;
  detection: CorrelationDetection;
  tests: CorrelationRuleTest[];
  filePath: string;
}

export interface ContentSet {
  /** The directory the content was loaded from. */
  root: string;
  /** Streaming rules: the only items the detection engine runs. */
  rules: RuleSpec[];
  globals: GlobalModule[];
  dataModels: DataModel[];
  /** Run by the engine (with ContentSnapshot's withScheduledRules) on the rows of the scheduled queries they name. */
  scheduledRules: ScheduledRuleSpec[];
  scheduledQueries: ScheduledQuerySpec[];
  savedQueries: SavedQuerySpec[];
  /** Parsed and tested, also listed in `unsupported`: nothing evaluates resources yet. Absent: none. */
  policies?: PolicySpec[];
  /** Run by the scheduler over the signals (rule matches) in the lake; their Tests run in `caracal test`. Absent: none. */
  correlationRules?: CorrelationRuleSpec[];
  unsupported: UnsupportedItem[];
  errors: ContentError[];
}
