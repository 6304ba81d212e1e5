import { promises as fs } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { findSpecFiles } from './content-files';
import type { ContentSet } from './content.types';
import { parseDataModelSpec } from './data-model-spec';
import { ContentError } from './errors';
import { parseGlobalSpec } from './global-spec';
import { parseRuleSpec } from './rule-spec';
import { SpecReader, isMapping } from './spec-reader';

/** Analysis types of the format that Caracal will run later; loaded, reported, not run. */
const LATER_TYPES = new Set([
  'scheduled_rule',
  'scheduled_query',
  'saved_query',
  'correlation_rule',
  'policy',
  'pack',
  'lookup_table',
]);

async function readSpec(file: string, errors: ContentError[]): Promise<SpecReader | undefined> {
  let doc: unknown;
  try {
    doc = YAML.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    errors.push(new ContentError(file, undefined, `not valid YAML: ${(err as Error).message}`, { cause: err }));
    return undefined;
  }
  if (!isMapping(doc)) {
    errors.push(new ContentError(file, undefined, 'expected a YAML mapping at the top level'));
    return undefined;
  }
  return new SpecReader(doc, file, errors);
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
  check('RuleID', 'RuleID', content.rules.map((r) => ({ id: r.ruleId, file: r.filePath })));
  check('GlobalID', 'GlobalID', content.globals.map((g) => ({ id: g.globalId, file: g.filePath })));
  check('DataModelID', 'DataModelID', content.dataModels.map((d) => ({ id: d.id, file: d.filePath })));
  // An event's udm() must resolve through exactly one data model.
  check(
    'enabled data model for log type',
    'LogTypes',
    content.dataModels.filter((d) => d.enabled).flatMap((d) => d.logTypes.map((lt) => ({ id: lt, file: d.filePath }))),
  );
}

/**
 * Loads every spec under `dir`. Problems are collected in `errors` (never
 * thrown) so a caller can report all of them; an unreadable `dir` does throw.
 */
export async function loadContent(dir: string): Promise<ContentSet> {
  const root = path.resolve(dir);
  const content: ContentSet = { root, rules: [], globals: [], dataModels: [], unsupported: [], errors: [] };
  for (const file of await findSpecFiles(root)) {
    const reader = await readSpec(file, content.errors);
    if (!reader) continue;
    const analysisType = reader.string('AnalysisType', true);
    if (analysisType === undefined) continue;
    switch (analysisType) {
      case 'rule': {
        const result = await parseRuleSpec(reader);
        if (result.kind === 'rule') content.rules.push(result.spec);
        else if (result.kind === 'unsupported') content.unsupported.push({ file, analysisType, reason: result.reason });
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
      default:
        content.unsupported.push({
          file,
          analysisType,
          reason: LATER_TYPES.has(analysisType) ? 'not run yet' : 'unknown AnalysisType',
        });
    }
  }
  checkUniqueIds(content);
  return content;
}
