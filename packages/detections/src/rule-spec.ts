import { SEVERITIES, Severity } from '@caracal/core';
import type { PythonModule } from './content-files';
import type { RuleSpec, RuleTestMock, RuleTestSpec, ScheduledRuleSpec } from './content.types';
import { SpecReader, isMapping } from './spec-reader';

// The keys the reference tool accepts for a rule or a scheduled rule; anything
// else is a typo to report. Keys it accepts that Caracal does not use yet are
// still type-checked, so a spec that loads here also passes the reference tool.
const RULE_KEYS = new Set([
  'AnalysisType',
  'RuleID',
  'Filename',
  'Detection',
  'Enabled',
  'LogTypes',
  'ScheduledQueries',
  'Severity',
  'DisplayName',
  'Description',
  'Reference',
  'Runbook',
  'Tags',
  'Reports',
  'SummaryAttributes',
  'OutputIds',
  'DedupPeriodMinutes',
  'Threshold',
  'CreateAlert',
  'InlineFilters',
  'Tests',
  'OnlyUseBaseRiskScore',
  'DynamicSeverities',
  'AlertTitle',
  'AlertContext',
  'GroupBy',
  // Bookkeeping keys of the reference format: accepted, no effect on running.
  'Status',
  'CreatedBy',
  'BaseVersion',
]);
// A derived rule changes settings of a base detection it names; it has no code or log types of its own.
const DERIVED_RULE_KEYS = new Set(
  [...RULE_KEYS, 'BaseDetection'].filter((k) => !['Filename', 'Detection', 'LogTypes', 'ScheduledQueries'].includes(k)),
);
// `LogType` is accepted by the reference tool for old specs and has no effect.
// ExpectedDestinations is checked by the reference tool against destinations(); not run here yet.
const TEST_KEYS = new Set(['Name', 'ExpectedResult', 'Log', 'Mocks', 'LogType', 'ExpectedDestinations']);
const MOCK_KEYS = new Set(['objectName', 'returnValue']);

export const DEFAULT_DEDUP_PERIOD_MINUTES = 60;
export const DEFAULT_THRESHOLD = 1;

export type RuleAnalysisType = 'rule' | 'scheduled_rule';

/**
 * The module a rule's Filename names, or undefined after reporting on the
 * reader why there is none: read from disk for a content directory, given
 * alongside the YAML for a detection put through the API.
 */
export type PythonModuleLookup = (reader: SpecReader, filename: string) => PythonModule | undefined;

export interface RuleSpecOptions {
  pythonModule: PythonModuleLookup;
  /** The log types a rule may name; any when absent (a content pack may cover log types not ingested here). */
  supportedLogTypes?: readonly string[];
}

export type RuleSpecResult =
  | { kind: 'rule'; spec: RuleSpec }
  | { kind: 'scheduled_rule'; spec: ScheduledRuleSpec }
  /** A valid rule of a form not run yet (YAML `Detection`, a derived rule). */
  | { kind: 'unsupported'; reason: string }
  | { kind: 'invalid' };

function parseSeverity(reader: SpecReader, required: boolean): Severity | undefined {
  const raw = required ? reader.string('Severity', true) : reader.string('Severity');
  if (raw === undefined) return undefined;
  const upper = raw.trim().toUpperCase() as Severity;
  if (!SEVERITIES.includes(upper)) {
    reader.fail('Severity', `must be one of Info, Low, Medium, High, Critical, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return upper;
}

function parseMocks(reader: SpecReader): RuleTestMock[] {
  const mocks: RuleTestMock[] = [];
  reader.list('Mocks').forEach((item, i) => {
    const mock = reader.nested(item, `Mocks[${i}].`);
    if (!mock) return;
    mock.rejectUnknownKeys(MOCK_KEYS);
    const objectName = mock.string('objectName', true);
    // Null is a value a mock may return; only a missing key is an error.
    if (!('returnValue' in mock.doc)) mock.fail('returnValue', 'required key is missing');
    if (objectName !== undefined && 'returnValue' in mock.doc) {
      mocks.push({ objectName, returnValue: mock.doc.returnValue ?? null });
    }
  });
  return mocks;
}

function parseTests(reader: SpecReader): RuleTestSpec[] {
  const tests: RuleTestSpec[] = [];
  reader.list('Tests').forEach((item, i) => {
    const test = reader.nested(item, `Tests[${i}].`);
    if (!test) return;
    test.rejectUnknownKeys(TEST_KEYS);
    const name = test.string('Name', true);
    const expectedResult = test.boolean('ExpectedResult', true, false);
    test.string('LogType');
    const log = test.doc.Log;
    if (!isMapping(log)) test.fail('Log', log === undefined || log === null ? 'required key is missing' : 'expected a mapping');
    const mocks = parseMocks(test);
    if (name !== undefined && isMapping(log) && test.has('ExpectedResult')) {
      tests.push({ name, expectedResult, log, mocks });
    }
  });
  return tests;
}

/** Keys Caracal accepts but does not use yet: only their types are checked. */
function checkUnusedKeys(reader: SpecReader): void {
  reader.boolean('OnlyUseBaseRiskScore', false, false);
  reader.string('AlertTitle');
}

/** The settings every rule form shares, with their defaults. */
function parseCommon(reader: SpecReader) {
  const displayName = reader.name('DisplayName');
  return {
    ...(displayName === undefined ? {} : { displayName }),
    dedupPeriodMinutes: reader.positiveInteger('DedupPeriodMinutes', DEFAULT_DEDUP_PERIOD_MINUTES),
    threshold: reader.positiveInteger('Threshold', DEFAULT_THRESHOLD),
    createAlert: reader.boolean('CreateAlert', false, true),
    tags: reader.stringList('Tags', false),
    reports: reader.stringListMap('Reports'),
    description: reader.string('Description') ?? '',
    reference: reader.string('Reference') ?? '',
    runbook: reader.string('Runbook') ?? '',
    summaryAttributes: reader.stringList('SummaryAttributes', false),
    outputIds: reader.stringList('OutputIds', false),
    tests: parseTests(reader),
  };
}

function parseDerivedRule(reader: SpecReader): RuleSpecResult {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(DERIVED_RULE_KEYS);
  reader.name('RuleID', true);
  reader.name('BaseDetection', true);
  reader.boolean('Enabled', false, true);
  parseSeverity(reader, false);
  checkUnusedKeys(reader);
  parseCommon(reader);
  if (reader.errors.length > before) return { kind: 'invalid' };
  return { kind: 'unsupported', reason: 'derived rules (BaseDetection) are not run yet' };
}

/** The log types of a rule, or the queries of a scheduled rule: each form has its own key. */
function parseSources(reader: SpecReader, analysisType: RuleAnalysisType, supportedLogTypes: readonly string[] | undefined): string[] {
  const [own, other] = analysisType === 'rule' ? ['LogTypes', 'ScheduledQueries'] : ['ScheduledQueries', 'LogTypes'];
  if (reader.has(other)) reader.fail(other, `not a key of a ${analysisType}: it has ${own}`);
  const sources = reader.stringList(own, true);
  if (analysisType === 'rule' && supportedLogTypes !== undefined) {
    for (const logType of sources) {
      if (!supportedLogTypes.includes(logType)) {
        reader.fail('LogTypes', `${JSON.stringify(logType)} is not a supported log type; supported: ${supportedLogTypes.join(', ')}`);
      }
    }
  }
  return sources;
}

export function parseRuleSpec(reader: SpecReader, analysisType: RuleAnalysisType, options: RuleSpecOptions): RuleSpecResult {
  if (analysisType === 'rule' && reader.has('BaseDetection')) return parseDerivedRule(reader);
  const before = reader.errors.length;
  reader.rejectUnknownKeys(RULE_KEYS);
  const ruleId = reader.name('RuleID', true);
  const enabled = reader.boolean('Enabled', true, false);
  const sources = parseSources(reader, analysisType, options.supportedLogTypes);
  const severity = parseSeverity(reader, true);
  const filename = reader.string('Filename');
  const isYamlDetection = reader.has('Detection');
  if (filename === undefined && !isYamlDetection) reader.fail('Filename', 'required key is missing (or Detection)');
  if (filename !== undefined && isYamlDetection) reader.fail('Detection', 'a rule has either Filename or Detection, not both');
  checkUnusedKeys(reader);
  const common = parseCommon(reader);
  const python = filename === undefined || isYamlDetection ? undefined : options.pythonModule(reader, filename);

  if (reader.errors.length > before || ruleId === undefined || severity === undefined) return { kind: 'invalid' };
  if (python === undefined) return { kind: 'unsupported', reason: 'YAML Detection rules are not run yet' };
  const base = { ruleId, enabled, severity, ...common, filePath: reader.file, ...python };
  return analysisType === 'rule'
    ? { kind: 'rule', spec: { ...base, logTypes: sources } }
    : { kind: 'scheduled_rule', spec: { ...base, scheduledQueries: sources } };
}
