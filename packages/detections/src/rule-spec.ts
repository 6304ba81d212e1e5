import { SEVERITIES, Severity } from '@caracal/core';
import { readSiblingPython } from './content-files';
import type { RuleSpec, RuleTestMock, RuleTestSpec } from './content.types';
import { SpecReader, isMapping } from './spec-reader';

// The keys the reference tool accepts for a rule; anything else is a typo to report.
const RULE_KEYS = new Set([
  'AnalysisType',
  'RuleID',
  'Filename',
  'Detection',
  'Enabled',
  'LogTypes',
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
]);
const TEST_KEYS = new Set(['Name', 'ExpectedResult', 'Log', 'Mocks']);
const MOCK_KEYS = new Set(['objectName', 'returnValue']);

export const DEFAULT_DEDUP_PERIOD_MINUTES = 60;
export const DEFAULT_THRESHOLD = 1;

export type RuleSpecResult =
  | { kind: 'rule'; spec: RuleSpec }
  /** A valid rule of a form not run yet (YAML `Detection`). */
  | { kind: 'unsupported'; reason: string }
  | { kind: 'invalid' };

function parseSeverity(reader: SpecReader): Severity | undefined {
  const raw = reader.string('Severity', true);
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
    if (objectName !== undefined) mocks.push({ objectName, returnValue: mock.doc.returnValue ?? null });
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
    const log = test.doc.Log;
    if (!isMapping(log)) test.fail('Log', log === undefined ? 'required key is missing' : 'expected a mapping');
    const mocks = parseMocks(test);
    if (name !== undefined && isMapping(log) && test.has('ExpectedResult')) {
      tests.push({ name, expectedResult, log, mocks });
    }
  });
  return tests;
}

export async function parseRuleSpec(reader: SpecReader): Promise<RuleSpecResult> {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(RULE_KEYS);
  const ruleId = reader.string('RuleID', true);
  const enabled = reader.boolean('Enabled', true, false);
  const logTypes = reader.stringList('LogTypes', true);
  const severity = parseSeverity(reader);
  const filename = reader.string('Filename');
  if (filename === undefined && !reader.has('Detection')) reader.fail('Filename', 'required key is missing');

  const displayName = reader.string('DisplayName');
  const spec = {
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
  const python = filename === undefined ? undefined : await readSiblingPython(reader, filename);

  if (reader.errors.length > before || ruleId === undefined || severity === undefined) return { kind: 'invalid' };
  if (python === undefined) return { kind: 'unsupported', reason: 'YAML Detection rules are not run yet' };
  return {
    kind: 'rule',
    spec: {
      ruleId,
      ...(displayName === undefined ? {} : { displayName }),
      enabled,
      logTypes,
      severity,
      ...spec,
      filePath: reader.file,
      ...python,
    },
  };
}
