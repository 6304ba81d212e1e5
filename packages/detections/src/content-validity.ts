import { promises as fs } from 'node:fs';
import { ID_KEYS } from './analysis-type';
import type { ContentSet } from './content.types';
import { parseReferenceYaml } from './reference-yaml';
import { isMapping } from './spec-reader';

/** A spec file that could not be loaded, with every problem found in it. */
export interface InvalidItem {
  file: string;
  /** What the file says it is and its id, when the YAML is readable that far. */
  analysisType?: string;
  id?: string;
  /** A data model's LogTypes, to tell rules of those log types why udm() finds no mapping. */
  logTypes?: string[];
  problems: { key?: string; problem: string }[];
}

/** Best effort: an invalid file may still name its type and id, which is what a reader of the report looks for. */
async function describe(file: string): Promise<Pick<InvalidItem, 'analysisType' | 'id' | 'logTypes'>> {
  try {
    const doc: unknown = parseReferenceYaml(await fs.readFile(file, 'utf8'));
    if (!isMapping(doc)) return {};
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const idKey = ID_KEYS.find((key) => typeof doc[key] === 'string');
    const logTypes = Array.isArray(doc.LogTypes) ? doc.LogTypes.filter((t): t is string => typeof t === 'string') : undefined;
    return {
      ...(text(doc.AnalysisType) === undefined ? {} : { analysisType: text(doc.AnalysisType) }),
      ...(idKey === undefined ? {} : { id: doc[idKey] as string }),
      ...(logTypes === undefined || logTypes.length === 0 ? {} : { logTypes }),
    };
  } catch {
    return {};
  }
}

/**
 * Splits loaded content into what can run and the invalid items, as the
 * reference tool's `test` does: a file with any problem is left out (with its
 * problems reported) and everything else runs. Only for running Tests: content
 * that is deployed or uploaded must stay all-or-nothing (ContentSnapshot.of,
 * parseDetectionFiles), since a half-loaded rule set silently misses detections.
 * A duplicate id is a problem of the later file, so the first one still runs.
 */
export async function splitInvalidItems(content: ContentSet): Promise<{ content: ContentSet; invalid: InvalidItem[] }> {
  const byFile = new Map<string, InvalidItem['problems']>();
  for (const error of content.errors) {
    const problems = byFile.get(error.file) ?? [];
    problems.push(error.key === undefined ? { problem: error.problem } : { key: error.key, problem: error.problem });
    byFile.set(error.file, problems);
  }
  const invalid = await Promise.all(
    [...byFile].map(async ([file, problems]): Promise<InvalidItem> => ({ file, ...(await describe(file)), problems })),
  );
  // Every list of items (rules, globals, queries... and kinds added later) loses the invalid files' items.
  const kept = Object.fromEntries(
    Object.entries(content).map(([name, value]) => [
      name,
      Array.isArray(value) && name !== 'errors'
        ? value.filter((item: { filePath?: unknown; file?: unknown }) => !byFile.has(String(item.filePath ?? item.file)))
        : value,
    ]),
  ) as unknown as ContentSet;
  return { content: { ...kept, errors: [] }, invalid };
}
