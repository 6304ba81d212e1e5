import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SpecReader } from './spec-reader';

const SPEC_EXTENSIONS = new Set(['.yml', '.yaml']);
// Tooling folders and hidden files hold YAML that is not content (CI
// workflows, dependencies, .pre-commit-config.yaml).
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__']);

/** Every spec file under `dir`, in a stable order so that errors and ids are reproducible. */
export async function findSpecFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await fs.readdir(current, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const stat = await fs.stat(full).catch(() => undefined);
        isDir = stat?.isDirectory() ?? false;
        isFile = stat?.isFile() ?? false;
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (isFile && SPEC_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        found.push(full);
      }
    }
  };
  await walk(dir);
  return found;
}

/** A rule's, global's or data model's Python module, as the spec names it. */
export interface PythonModule {
  pythonPath: string;
  pythonSource: string;
}

/** The Python file `filename` names, read from beside `specFile`, or why it cannot be. */
export async function loadSiblingPython(specFile: string, filename: string): Promise<PythonModule | { problem: string }> {
  const specDir = path.dirname(specFile);
  const pythonPath = path.resolve(specDir, filename);
  if (path.relative(specDir, pythonPath).startsWith('..')) {
    return { problem: `must name a file beside the spec, got ${JSON.stringify(filename)}` };
  }
  try {
    return { pythonPath, pythonSource: await fs.readFile(pythonPath, 'utf8') };
  } catch (err) {
    return { problem: `cannot read ${pythonPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}

/**
 * The Python file a spec names with `Filename`, read from beside the spec.
 * Reports a missing or escaping file as an error on the `Filename` key.
 */
export async function readSiblingPython(reader: SpecReader, filename: string): Promise<PythonModule | undefined> {
  const found = await loadSiblingPython(reader.file, filename);
  if ('problem' in found) {
    reader.fail('Filename', found.problem);
    return undefined;
  }
  return found;
}
