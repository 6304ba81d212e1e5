import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pythonSourceDir } from './package-paths';

export interface PythonSourceFile {
  /** POSIX path relative to the python/ directory, e.g. `panther_core/immutable.py`. */
  relativePath: string;
  source: string;
}

let cached: Promise<PythonSourceFile[]> | undefined;

async function readTree(root: string, dir: string, out: PythonSourceFile[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') {
      await readTree(root, full, out);
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      out.push({ relativePath: path.relative(root, full).split(path.sep).join('/'), source: await fs.readFile(full, 'utf8') });
    }
  }
}

/** The harness, panther_core and panther_detection_helpers sources; read once per process. */
export function readPythonSources(): Promise<PythonSourceFile[]> {
  if (!cached) {
    const root = pythonSourceDir();
    cached = (async () => {
      const out: PythonSourceFile[] = [];
      await readTree(root, root, out);
      return out.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
    })();
    cached.catch(() => (cached = undefined));
  }
  return cached;
}
