import type { Severity } from '@caracal/core';
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
  /** The .py named by Filename. */
  pythonPath: string;
  pythonSource: string;
  tests: RuleTestSpec[];
}

/**
 * A `scheduled_rule`: a rule run over the rows of scheduled queries instead of
 * a stream of log types. Parsed and tested, not run on a schedule yet.
 */
export interface ScheduledRuleSpec extends Omit<RuleSpec, 'logTypes'> {
  /** QueryName of each `scheduled_query` whose rows the rule sees. */
  scheduledQueries: string[];
}

/** Which key of the spec holds the SQL: the reference format has one per query language. */
export type QueryKey = 'Query' | 'SnowflakeQuery' | 'AthenaQuery' | 'PantherFlowQuery';

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

/** A `scheduled_query`: SQL run on a schedule, whose rows scheduled rules see. Not run yet. */
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

export interface ContentSet {
  /** The directory the content was loaded from. */
  root: string;
  /** Streaming rules: the only items the detection engine runs. */
  rules: RuleSpec[];
  globals: GlobalModule[];
  dataModels: DataModel[];
  /** Parsed and validated; also listed in `unsupported`, since nothing schedules them yet. */
  scheduledRules: ScheduledRuleSpec[];
  scheduledQueries: ScheduledQuerySpec[];
  savedQueries: SavedQuerySpec[];
  unsupported: UnsupportedItem[];
  errors: ContentError[];
}
