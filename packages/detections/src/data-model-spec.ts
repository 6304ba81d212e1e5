import { readSiblingPython } from './content-files';
import type { DataModel, DataModelMapping } from './content.types';
import { SpecReader } from './spec-reader';

const DATA_MODEL_KEYS = new Set(['AnalysisType', 'DataModelID', 'DisplayName', 'Enabled', 'Filename', 'LogTypes', 'Mappings', 'BaseVersion']);
const MAPPING_KEYS = new Set(['Name', 'Path', 'Method']);

function parseMappings(reader: SpecReader): DataModelMapping[] {
  if (!reader.has('Mappings')) reader.fail('Mappings', 'required key is missing');
  const mappings: DataModelMapping[] = [];
  const seen = new Set<string>();
  reader.list('Mappings').forEach((item, i) => {
    const entry = reader.nested(item, `Mappings[${i}].`);
    if (!entry) return;
    entry.rejectUnknownKeys(MAPPING_KEYS);
    const name = entry.string('Name', true);
    const mappingPath = entry.string('Path');
    const method = entry.string('Method');
    if ((mappingPath === undefined) === (method === undefined)) {
      entry.fail(undefined, 'a mapping has exactly one of Path and Method');
      return;
    }
    if (name === undefined) return;
    // Stricter than the reference tool, where the later mapping silently wins: udm() must not depend on order.
    if (seen.has(name)) entry.fail('Name', `duplicate mapping name ${JSON.stringify(name)}`);
    seen.add(name);
    mappings.push(mappingPath !== undefined ? { name, path: mappingPath } : { name, method });
  });
  return mappings;
}

export async function parseDataModelSpec(reader: SpecReader): Promise<DataModel | undefined> {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(DATA_MODEL_KEYS);
  const id = reader.name('DataModelID', true);
  reader.name('DisplayName');
  // Required by the reference's schema (a scheduled query's too), unlike a global's nothing.
  const enabled = reader.boolean('Enabled', true, true);
  reader.integer('BaseVersion');
  const logTypes = reader.stringList('LogTypes', true);
  const mappings = parseMappings(reader);
  const filename = reader.string('Filename');
  const python = filename === undefined ? undefined : await readSiblingPython(reader, filename);
  // The reference tool's schema passes this, then its test run stops on it (the method cannot be found).
  if (filename === undefined && mappings.some((m) => m.method !== undefined)) {
    reader.fail('Filename', 'required when a mapping uses Method');
  }
  if (reader.errors.length > before || id === undefined) return undefined;
  return { id, enabled, logTypes, mappings, filePath: reader.file, ...python };
}
