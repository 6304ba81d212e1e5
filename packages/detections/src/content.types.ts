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
  rules: RuleSpec[];
  globals: GlobalModule[];
  dataModels: DataModel[];
  unsupported: UnsupportedItem[];
  errors: ContentError[];
}
