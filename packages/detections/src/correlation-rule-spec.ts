import type { CorrelationDetection, CorrelationItem, CorrelationRuleSpec, CorrelationRuleTest, CorrelationTransition } from './content.types';
import { parseSchedule } from './query-spec';
import { parseSeverity } from './rule-spec';
import { isMapping, type SpecReader } from './spec-reader';

const TOP_KEYS = new Set([
  'AnalysisType', 'RuleID', 'DisplayName', 'Enabled', 'Severity', 'Description', 'Detection', 'CreateAlert', 'Tags', 'Reports',
  'Reference', 'Runbook', 'OutputIds', 'SummaryAttributes', 'Tests', 'Status', 'CreatedBy', 'OnlyUseBaseRiskScore',
]);
const GROUP_KEYS = new Set(['Group', 'Schedule', 'LookbackWindowMinutes', 'MatchCriteria', 'MinMatchCount', 'EventEvaluationOrder']);
const SEQUENCE_KEYS = new Set(['Sequence', 'Schedule', 'LookbackWindowMinutes', 'Transitions', 'EventEvaluationOrder']);
const ITEM_KEYS = new Set(['ID', 'RuleID', 'MinMatchCount', 'MaxMatchCount', 'Absence']);
const TRANSITION_KEYS = new Set(['ID', 'From', 'To', 'WithinTimeFrameMinutes', 'Match']);
const TEST_KEYS = new Set(['Name', 'ExpectedResult', 'RuleOutputs']);
const ORDERS = ['Chronological', 'ReverseChronological'] as const;
// Panther's default and floor for the window; its ceiling is 15 days.
const DEFAULT_LOOKBACK_MINUTES = 15;
const MAX_LOOKBACK_MINUTES = 21_600;

function parseItems(reader: SpecReader, key: 'Group' | 'Sequence'): CorrelationItem[] {
  const items: CorrelationItem[] = [];
  const list = reader.list(key);
  if (list.length < 2) reader.fail(key, `needs at least 2 items, got ${list.length}`);
  list.forEach((raw, i) => {
    const item = reader.nested(raw, `${key}[${i}].`);
    if (!item) return;
    item.rejectUnknownKeys(ITEM_KEYS);
    const ruleId = item.string('RuleID', true);
    const id = item.string('ID') ?? ruleId;
    const minMatchCount = item.integer('MinMatchCount', { min: 1 }) ?? 1;
    const maxMatchCount = item.integer('MaxMatchCount', { min: 1 });
    if (maxMatchCount !== undefined && maxMatchCount < minMatchCount) item.fail('MaxMatchCount', `must be at least MinMatchCount (${minMatchCount}), got ${maxMatchCount}`);
    if (ruleId === undefined || id === undefined) return;
    if (items.some((other) => other.id === id)) item.fail('ID', `${JSON.stringify(id)} names another item of this ${key} too`);
    items.push({ id, ruleId, minMatchCount, ...(maxMatchCount === undefined ? {} : { maxMatchCount }), absence: item.boolean('Absence', false, false) });
  });
  if (items.length > 0 && items.every((i) => i.absence)) reader.fail(key, 'needs an item that is not Absence');
  return items;
}

function parseMatchCriteria(reader: SpecReader, ids: ReadonlySet<string>): CorrelationDetection['matchCriteria'] {
  const raw = reader.raw('MatchCriteria');
  if (raw === undefined || raw === null) return {};
  const criteria = reader.nested(raw, 'MatchCriteria.');
  if (!criteria) return {};
  const out: CorrelationDetection['matchCriteria'] = {};
  for (const label of Object.keys(criteria.doc)) {
    out[label] = [];
    criteria.list(label).forEach((entryRaw, i) => {
      const entry = criteria.nested(entryRaw, `${label}[${i}].`);
      if (!entry) return;
      entry.rejectUnknownKeys(new Set(['GroupID', 'Match']));
      const groupId = entry.string('GroupID', true);
      const match = entry.string('Match', true);
      if (groupId !== undefined && !ids.has(groupId)) entry.fail('GroupID', `${JSON.stringify(groupId)} is not the ID of an item of the Group`);
      if (groupId !== undefined && match !== undefined) out[label].push({ groupId, match });
    });
  }
  return out;
}

function parseTransitions(reader: SpecReader, ids: ReadonlySet<string>): CorrelationTransition[] {
  const out: CorrelationTransition[] = [];
  reader.list('Transitions').forEach((raw, i) => {
    const t = reader.nested(raw, `Transitions[${i}].`);
    if (!t) return;
    t.rejectUnknownKeys(TRANSITION_KEYS);
    const from = t.string('From', true);
    const to = t.string('To', true);
    for (const [key, id] of [['From', from], ['To', to]] as const) if (id !== undefined && !ids.has(id)) t.fail(key, `${JSON.stringify(id)} is not the ID of a step of the Sequence`);
    const within = t.integer('WithinTimeFrameMinutes', { min: 1 });
    let match: CorrelationTransition['match'];
    const matches = t.list('Match');
    if (t.has('Match') && matches.length !== 1) t.fail('Match', `expected one entry, got ${matches.length}`);
    const m = matches.length === 1 ? t.nested(matches[0], 'Match[0].') : undefined;
    if (m) {
      m.rejectUnknownKeys(new Set(['On', 'From', 'To']));
      const on = m.string('On');
      const fromPath = m.string('From');
      const toPath = m.string('To');
      if (on !== undefined && (fromPath !== undefined || toPath !== undefined)) m.fail(undefined, 'has On and From/To; keep one');
      else if (on !== undefined) match = { from: on, to: on };
      else if (fromPath !== undefined && toPath !== undefined) match = { from: fromPath, to: toPath };
      else m.fail(undefined, 'needs On, or both From and To');
    }
    if (from !== undefined && to !== undefined) out.push({ ...(t.has('ID') ? { id: t.string('ID') } : {}), from, to, ...(within === undefined ? {} : { withinTimeFrameMinutes: within }), ...(match ? { match } : {}) });
  });
  return out;
}

function parseDetection(reader: SpecReader): CorrelationDetection | undefined {
  const list = reader.list('Detection');
  if (!reader.has('Detection')) reader.fail('Detection', 'required key is missing');
  if (list.length !== 1) {
    if (reader.has('Detection')) reader.fail('Detection', `expected one Group or Sequence, got ${list.length} entries`);
    return undefined;
  }
  const d = reader.nested(list[0], 'Detection[0].');
  if (!d) return undefined;
  const isGroup = d.has('Group');
  if (isGroup === d.has('Sequence')) {
    d.fail(undefined, isGroup ? 'has both Group and Sequence; keep one' : 'needs a Group or a Sequence');
    return undefined;
  }
  d.rejectUnknownKeys(isGroup ? GROUP_KEYS : SEQUENCE_KEYS);
  const items = parseItems(d, isGroup ? 'Group' : 'Sequence');
  const ids = new Set(items.map((i) => i.id));
  const lookback = d.integer('LookbackWindowMinutes', { min: 1 }) ?? DEFAULT_LOOKBACK_MINUTES;
  if (lookback > MAX_LOOKBACK_MINUTES) d.fail('LookbackWindowMinutes', `must be at most ${MAX_LOOKBACK_MINUTES} (15 days), got ${lookback}`);
  const order = d.string('EventEvaluationOrder') ?? 'Chronological';
  if (!(ORDERS as readonly string[]).includes(order)) d.fail('EventEvaluationOrder', `must be one of ${ORDERS.join(', ')}, got ${JSON.stringify(order)}`);
  const minMatchCount = isGroup ? d.integer('MinMatchCount', { min: 1 }) : undefined;
  const present = items.filter((i) => !i.absence).length;
  if (minMatchCount !== undefined && minMatchCount > present) d.fail('MinMatchCount', `must be at most the ${present} items that are not Absence, got ${minMatchCount}`);
  const matchCriteria = isGroup ? parseMatchCriteria(d, ids) : {};
  const transitions = isGroup ? [] : parseTransitions(d, ids);
  const schedule = parseSchedule(d);
  if (schedule === undefined) return undefined;
  return {
    kind: isGroup ? 'group' : 'sequence',
    items,
    matchCriteria,
    transitions,
    lookbackWindowMinutes: lookback,
    ...(minMatchCount === undefined ? {} : { minMatchCount }),
    eventEvaluationOrder: order as CorrelationDetection['eventEvaluationOrder'],
    schedule,
  };
}

function parseTests(reader: SpecReader, ids: ReadonlySet<string> | undefined): CorrelationRuleTest[] {
  const tests: CorrelationRuleTest[] = [];
  reader.list('Tests').forEach((raw, i) => {
    const test = reader.nested(raw, `Tests[${i}].`);
    if (!test) return;
    test.rejectUnknownKeys(TEST_KEYS);
    const name = test.string('Name', true);
    const expectedResult = test.boolean('ExpectedResult', true, false);
    const ruleOutputs: CorrelationRuleTest['ruleOutputs'] = [];
    test.list('RuleOutputs').forEach((outRaw, j) => {
      const output = test.nested(outRaw, `RuleOutputs[${j}].`);
      if (!output) return;
      output.rejectUnknownKeys(new Set(['ID', 'Matches']));
      const id = output.string('ID', true);
      if (id !== undefined && ids && !ids.has(id)) output.fail('ID', `${JSON.stringify(id)} is not the ID of an item of the Detection`);
      const matches: Record<string, Record<string, (number | string)[]>> = {};
      const rawMatches = output.raw('Matches');
      if (rawMatches !== undefined && rawMatches !== null) {
        if (!isMapping(rawMatches)) output.fail('Matches', 'expected a mapping of field paths to values to times');
        else {
          for (const [field, byValue] of Object.entries(rawMatches)) {
            if (!isMapping(byValue)) {
              output.fail(`Matches.${field}`, 'expected a mapping of values to lists of times');
              continue;
            }
            matches[field] = {};
            for (const [value, times] of Object.entries(byValue)) {
              const ok = Array.isArray(times) && times.every((t) => (typeof t === 'number' && Number.isFinite(t)) || (typeof t === 'string' && !Number.isNaN(Date.parse(t))));
              if (!ok) output.fail(`Matches.${field}.${value}`, 'expected a list of times: whole minutes, or RFC 3339 times such as "2024-01-31T12:00:00Z"');
              else matches[field][value] = times as (number | string)[];
            }
          }
        }
      }
      if (id !== undefined) ruleOutputs.push({ id, matches });
    });
    if (name !== undefined) tests.push({ name, expectedResult, ruleOutputs });
  });
  return tests;
}

/** A `correlation_rule` spec, or undefined after reporting its problems. */
export function parseCorrelationRuleSpec(reader: SpecReader): CorrelationRuleSpec | undefined {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(TOP_KEYS);
  const ruleId = reader.name('RuleID', true);
  const enabled = reader.boolean('Enabled', true, false);
  const severity = parseSeverity(reader, true);
  const detection = parseDetection(reader);
  // A detection that failed to parse has its own errors; its tests' IDs are not checked against nothing.
  const tests = parseTests(reader, detection ? new Set(detection.items.map((i) => i.id)) : undefined);
  const spec = {
    displayName: reader.name('DisplayName') ?? '',
    createAlert: reader.boolean('CreateAlert', false, true),
    description: reader.string('Description') ?? '',
  };
  reader.stringList('Tags', false);
  reader.stringList('OutputIds', false);
  reader.stringList('SummaryAttributes', false);
  reader.stringListMap('Reports');
  if (reader.errors.length > before || ruleId === undefined || severity === undefined || detection === undefined) return undefined;
  return { ruleId, enabled, severity, ...spec, detection, tests, filePath: reader.file };
}
