import { SEVERITIES, Severity } from '@caracal/core/messages';
import type { PythonModule } from './content-files';
import type { RuleSpec, RuleTestMock, RuleTestSpec, ScheduledRuleSpec } from './content.types';
import { parseInlineFilters } from './inline-filter-spec';
import { parseSimpleDetection } from './simple-detection-spec';
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
// The reference's derived schema also has no CreatedBy.
const DERIVED_RULE_KEYS = new Set(
  [...RULE_KEYS, 'BaseDetection'].filter((k) => !['Filename', 'Detection', 'LogTypes', 'ScheduledQueries', 'CreatedBy'].includes(k)),
);
// `LogType` is accepted by the reference tool for old specs and has no effect.
// ExpectedDestinations: the destinations destinations() must return (checked by the test run).
const TEST_KEYS = new Set(['Name', 'ExpectedResult', 'Log', 'Mocks', 'LogType', 'ExpectedDestinations']);
const MOCK_KEYS = new Set(['objectName', 'returnValue']);

export const DEFAULT_DEDUP_PERIOD_MINUTES = 60;
export const DEFAULT_THRESHOLD = 1;
/** Panther's shortest dedup period: the reference tool warns that a shorter one is raised to it on upload. */
export const MIN_DEDUP_PERIOD_MINUTES = 5;
// Severity as the reference's rule schema spells it: exactly these, case included ("HIGH" is refused).
const SEVERITY_NAMES = ['Info', 'Low', 'Medium', 'High', 'Critical'];

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

export function parseSeverity(reader: SpecReader, required: boolean): Severity | undefined {
  const raw = required ? reader.string('Severity', true) : reader.string('Severity');
  if (raw === undefined) return undefined;
  const upper = raw.toUpperCase() as Severity;
  if (!SEVERITY_NAMES.includes(raw) || !SEVERITIES.includes(upper)) {
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
    // The reference's schema takes a string or true/false only: a number, null or a
    // mapping is refused there (quote it, or return JSON text and parse it in the rule).
    const returnValue = mock.doc.returnValue;
    if (!('returnValue' in mock.doc)) mock.fail('returnValue', 'required key is missing');
    else if (typeof returnValue !== 'string' && typeof returnValue !== 'boolean') {
      mock.fail('returnValue', `expected a string or true/false, got ${returnValue === null ? 'null' : Array.isArray(returnValue) ? 'list' : typeof returnValue}`);
    } else if (objectName !== undefined) {
      mocks.push({ objectName, returnValue });
    }
  });
  return mocks;
}

/** One entry of a detection's Tests, before what is particular to a rule or a policy. */
export interface ParsedTestCase {
  test: SpecReader;
  name: string;
  expectedResult: boolean;
  /** A rule test's `Log`, a policy test's `Resource`. */
  input: Record<string, unknown>;
  mocks: RuleTestMock[];
}

/**
 * The Tests of a rule (`Log`, with the legacy `LogType`) or of a policy
 * (`Resource`, `ResourceType`): each entry's problems are reported on the
 * reader, and only complete entries are returned.
 */
export function parseTestCases(reader: SpecReader, inputKey: 'Log' | 'Resource', knownKeys: ReadonlySet<string>): ParsedTestCase[] {
  const cases: ParsedTestCase[] = [];
  reader.list('Tests').forEach((item, i) => {
    const test = reader.nested(item, `Tests[${i}].`);
    if (!test) return;
    test.rejectUnknownKeys(knownKeys);
    const name = test.string('Name', true);
    const expectedResult = test.boolean('ExpectedResult', true, false);
    // Accepted by the reference tool for old specs, with no effect.
    test.string(inputKey === 'Log' ? 'LogType' : 'ResourceType');
    const input = test.doc[inputKey];
    if (!isMapping(input)) test.fail(inputKey, input === undefined || input === null ? 'required key is missing' : 'expected a mapping');
    const mocks = parseMocks(test);
    if (name !== undefined && isMapping(input) && test.has('ExpectedResult')) cases.push({ test, name, expectedResult, input, mocks });
  });
  return cases;
}

function parseTests(reader: SpecReader): RuleTestSpec[] {
  return parseTestCases(reader, 'Log', TEST_KEYS).map(({ test, name, expectedResult, input, mocks }) => {
    const expectedDestinations = test.doc.ExpectedDestinations === undefined ? undefined : test.stringList('ExpectedDestinations', false);
    return { name, expectedResult, log: input, mocks, ...(expectedDestinations === undefined ? {} : { expectedDestinations }) };
  });
}

/** Keys Caracal accepts but does not use yet: only their types are checked. */
function checkUnusedKeys(reader: SpecReader): void {
  reader.boolean('OnlyUseBaseRiskScore', false, false);
  reader.string('CreatedBy');
  reader.string('Status');
  reader.integer('BaseVersion');
}

/**
 * Any integer passes the reference's schema. As it warns, Panther ignores 0
 * (the default period applies) and raises a shorter period to its minimum.
 */
function dedupPeriodMinutes(written: number | undefined): number {
  if (written === undefined || written === 0) return DEFAULT_DEDUP_PERIOD_MINUTES;
  return Math.max(written, MIN_DEDUP_PERIOD_MINUTES);
}

/** The settings every rule form shares, with their defaults. */
function parseCommon(reader: SpecReader) {
  const displayName = reader.name('DisplayName');
  return {
    ...(displayName === undefined ? {} : { displayName }),
    dedupPeriodMinutes: dedupPeriodMinutes(reader.integer('DedupPeriodMinutes')),
    // Any integer passes the reference's schema; fewer than one event per alert is one.
    threshold: Math.max(reader.integer('Threshold') ?? DEFAULT_THRESHOLD, 1),
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
  parseSimpleDetection(reader, false);
  parseInlineFilters(reader);
  if (reader.errors.length > before) return { kind: 'invalid' };
  return { kind: 'unsupported', reason: 'derived rules (BaseDetection) are not run yet' };
}

/**
 * The log types of a rule, or the queries of a scheduled rule: each form has
 * its own key. Stricter than the reference tool, whose schema takes either key
 * for either type: a streaming rule without log types would never see an
 * event, and a scheduled rule is fed by the queries it names.
 */
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
  // The alert keys of a YAML detection are checked on any rule; only a YAML detection uses them.
  const simple = parseSimpleDetection(reader, isYamlDetection && filename === undefined);
  const filters = parseInlineFilters(reader);
  const python = filename === undefined || isYamlDetection ? undefined : options.pythonModule(reader, filename);

  if (reader.errors.length > before || ruleId === undefined || severity === undefined) return { kind: 'invalid' };
  const unsupported = simple.unsupported ?? filters.unsupported;
  if (unsupported !== undefined) return { kind: 'unsupported', reason: unsupported };
  const code = python ?? (simple.spec ? { pythonPath: reader.file, pythonSource: '', simpleDetection: simple.spec } : undefined);
  if (code === undefined) return { kind: 'invalid' };
  const base = { ruleId, enabled, severity, ...common, filePath: reader.file, ...code, ...(filters.filters ? { inlineFilters: filters.filters } : {}) };
  return analysisType === 'rule'
    ? { kind: 'rule', spec: { ...base, logTypes: sources } }
    : { kind: 'scheduled_rule', spec: { ...base, scheduledQueries: sources } };
}
