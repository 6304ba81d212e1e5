import { readSiblingPython } from './content-files';
import type { GlobalModule } from './content.types';
import { SpecReader } from './spec-reader';

const GLOBAL_KEYS = new Set(['AnalysisType', 'GlobalID', 'Filename', 'Description', 'Tags', 'BaseVersion']);
// Rules import globals by GlobalID, so it has to be a Python module path. Stricter
// than the reference tool, which takes any name and copies the file to `<GlobalID>.py`,
// where a rule could not import a name such as `aws-helpers`.
const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export async function parseGlobalSpec(reader: SpecReader): Promise<GlobalModule | undefined> {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(GLOBAL_KEYS);
  reader.stringList('Tags', false);
  reader.integer('BaseVersion');
  const globalId = reader.string('GlobalID', true);
  if (globalId !== undefined && !MODULE_NAME.test(globalId)) {
    reader.fail('GlobalID', `must be a Python module name, got ${JSON.stringify(globalId)}`);
  }
  const description = reader.string('Description') ?? '';
  const filename = reader.string('Filename', true);
  const python = filename === undefined ? undefined : await readSiblingPython(reader, filename);
  if (reader.errors.length > before || globalId === undefined || python === undefined) return undefined;
  return { globalId, description, filePath: reader.file, ...python };
}
