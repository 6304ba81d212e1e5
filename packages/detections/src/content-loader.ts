import { promises as fs } from 'node:fs';
import path from 'node:path';
import { analysisTypeOf } from './analysis-type';
import { findSpecFiles, loadSiblingPython } from './content-files';
import type { ContentSet } from './content.types';
import { parseDataModelSpec } from './data-model-spec';
import { ContentError } from './errors';
import { parseGlobalSpec } from './global-spec';
import { parsePolicySpec } from './policy-spec';
import { parseSavedQuerySpec, parseScheduledQuerySpec } from './query-spec';
import { parseCorrelationRuleSpec } from './correlation-rule-spec';
import { PythonModuleLookup, parseRuleSpec } from './rule-spec';
import { SpecReader, readSpecText } from './spec-reader';

const NOT_ON_STREAM_POLICY = 'policy: its Tests run; not evaluated on the stream (no cloud resource snapshots yet)';

async function readSpec(file: string, errors: ContentError[], notContent: () => void): Promise<SpecReader | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    errors.push(new ContentError(file, undefined, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err }));
    return undefined;
  }
  // As in the reference tool, a YAML document that is not a mapping (an empty file, a list) is not an item.
  return readSpecText(text, file, errors, notContent);
}

/**
 * Rule parsing is synchronous (a detection put through the API comes with its
 * Python), so the module a rule's Filename names is read before parsing and
 * handed over; problems are still reported where the parser asks for it.
 */
async function siblingPythonOf(reader: SpecReader): Promise<PythonModuleLookup> {
  const filename = reader.raw('Filename');
  const found = typeof filename === 'string' ? await loadSiblingPython(reader.file, filename) : undefined;
  return (r, name) => {
    if (found === undefined || 'problem' in found) {
      r.fail('Filename', found?.problem ?? `cannot read ${JSON.stringify(name)}`);
      return undefined;
    }
    return found;
  };
}

/** Ids must be unique across the whole directory: later lookups are by id. */
function checkUniqueIds(content: ContentSet): void {
  const check = (kind: string, key: string, items: { id: string; file: string }[]): void => {
    const first = new Map<string, string>();
    for (const item of items) {
      const previous = first.get(item.id);
      if (previous !== undefined) {
        content.errors.push(new ContentError(item.file, key, `duplicate ${kind} ${JSON.stringify(item.id)}, also in ${previous}`));
      } else {
        first.set(item.id, item.file);
      }
    }
  };
  check(
    'RuleID',
    'RuleID',
    [...content.rules, ...content.scheduledRules, ...(content.correlationRules ?? [])]
      .map((r) => ({ id: r.ruleId, file: r.filePath }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  );
  check('PolicyID', 'PolicyID', (content.policies ?? []).map((p) => ({ id: p.policyId, file: p.filePath })));
  check('GlobalID', 'GlobalID', content.globals.map((g) => ({ id: g.globalId, file: g.filePath })));
  check('DataModelID', 'DataModelID', content.dataModels.map((d) => ({ id: d.id, file: d.filePath })));
  check(
    'QueryName',
    'QueryName',
    [...content.scheduledQueries, ...content.savedQueries]
      .map((q) => ({ id: q.queryName, file: q.filePath }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  );
  // An event's udm() must resolve through exactly one data model.
  check(
    'enabled data model for log type',
    'LogTypes',
    content.dataModels.filter((d) => d.enabled).flatMap((d) => d.logTypes.map((lt) => ({ id: lt, file: d.filePath }))),
  );
}

/**
 * A scheduled rule sees the rows of the scheduled queries it names. Naming a
 * saved query is a mistake; naming one that is not in the directory is not:
 * the directory may be one folder of a repository (`caracal test rules/okta`),
 * with the queries elsewhere. That is noted on the unsupported item instead.
 */
function checkScheduledQueryNames(content: ContentSet): void {
  const scheduled = new Set(content.scheduledQueries.map((q) => q.queryName));
  const saved = new Set(content.savedQueries.map((q) => q.queryName));
  for (const rule of content.scheduledRules) {
    for (const name of rule.scheduledQueries) {
      if (scheduled.has(name)) continue;
      if (saved.has(name)) {
        content.errors.push(
          new ContentError(rule.filePath, 'ScheduledQueries', `${JSON.stringify(name)} is a saved_query, which has no Schedule; name a scheduled_query`),
        );
        continue;
      }
      content.unsupported.push({ file: rule.filePath, analysisType: 'scheduled_rule', reason: `names no scheduled_query of this directory: ${JSON.stringify(name)}; runs on the rows of the ones it has` });
    }
  }
}

/**
 * Loads every spec under `dir`. Problems are collected in `errors` (never
 * thrown) so a caller can report all of them; an unreadable `dir` does throw.
 */
export async function loadContent(dir: string): Promise<ContentSet> {
  const root = path.resolve(dir);
  const content: ContentSet = {
    root,
    rules: [],
    globals: [],
    dataModels: [],
    scheduledRules: [],
    scheduledQueries: [],
    savedQueries: [],
    policies: [],
    correlationRules: [],
    unsupported: [],
    errors: [],
  };
  for (const file of await findSpecFiles(root)) {
    const reader = await readSpec(file, content.errors, () =>
      content.unsupported.push({ file, analysisType: '', reason: 'not a YAML mapping: not an analysis item' }),
    );
    if (!reader) continue;
    const { type: analysisType, notContent } = analysisTypeOf(reader);
    if (notContent !== undefined) content.unsupported.push({ file, analysisType: '', reason: notContent });
    if (analysisType === undefined) continue;
    switch (analysisType) {
      case 'rule':
      case 'scheduled_rule': {
        const result = parseRuleSpec(reader, analysisType, { pythonModule: await siblingPythonOf(reader) });
        if (result.kind === 'rule') content.rules.push(result.spec);
        else if (result.kind === 'scheduled_rule') {
          content.scheduledRules.push(result.spec);
        } else if (result.kind === 'unsupported') content.unsupported.push({ file, analysisType, reason: result.reason });
        break;
      }
      case 'global': {
        const item = await parseGlobalSpec(reader);
        if (item) content.globals.push(item);
        break;
      }
      case 'datamodel': {
        const item = await parseDataModelSpec(reader);
        if (item) content.dataModels.push(item);
        break;
      }
      case 'scheduled_query': {
        const item = parseScheduledQuerySpec(reader);
        if (item) {
          content.scheduledQueries.push(item);
        }
        break;
      }
      case 'policy': {
        const item = await parsePolicySpec(reader);
        if (item) {
          content.policies?.push(item);
          content.unsupported.push({ file, analysisType, reason: NOT_ON_STREAM_POLICY });
        }
        break;
      }
      case 'saved_query': {
        const item = parseSavedQuerySpec(reader);
        if (item) {
          content.savedQueries.push(item);
          content.unsupported.push({ file, analysisType, reason: 'parsed and checked; saved queries are not run' });
        }
        break;
      }
      case 'correlation_rule': {
        const item = parseCorrelationRuleSpec(reader);
        if (item) content.correlationRules?.push(item);
        break;
      }
      default:
        content.unsupported.push({ file, analysisType, reason: 'not run yet' });
    }
  }
  checkUniqueIds(content);
  checkScheduledQueryNames(content);
  return content;
}
