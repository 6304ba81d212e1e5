import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PyodideAPI } from 'pyodide';
import { DetectionRuntimeError } from './errors';
import { detectionsPackageDir } from './package-paths';

export interface PythonWheel {
  fileName: string;
  bytes: Uint8Array;
}

/** Filled by scripts/fetch-wheels.sh at set-up from python-wheels.txt; not in git. */
export function pythonWheelsDir(): string {
  return path.join(detectionsPackageDir(), 'wheels');
}

function notSetUp(dir: string, problem: string, cause?: unknown): DetectionRuntimeError {
  return new DetectionRuntimeError(
    `the Python wheels for detections are missing: ${dir} ${problem}; run \`npm run setup\` to download them`,
    { code: 'UNAVAILABLE', cause, details: { dir } },
  );
}

const cache = new Map<string, Promise<PythonWheel[]>>();

async function readWheels(dir: string): Promise<PythonWheel[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    throw notSetUp(dir, 'cannot be read', err);
  }
  const wheels = names.filter((name) => name.endsWith('.whl')).sort();
  // An empty folder is a set-up cut short, not "no packages wanted": the pin list is never empty.
  if (wheels.length === 0) throw notSetUp(dir, 'holds no .whl file');
  return Promise.all(
    wheels.map(async (fileName) => {
      const buffer = await fs.readFile(path.join(dir, fileName));
      // Pyodide rejects Node's Buffer subclass; a plain view over the same memory it accepts.
      return { fileName, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
    }),
  );
}

/** The pure-Python wheels detections may import; read once per process (and folder). */
export function readPythonWheels(dir: string = pythonWheelsDir()): Promise<PythonWheel[]> {
  let wheels = cache.get(dir);
  if (!wheels) {
    wheels = readWheels(dir);
    cache.set(dir, wheels);
    // A failed read (set-up not run yet) is tried again on the next interpreter start.
    wheels.catch(() => cache.delete(dir));
  }
  return wheels;
}

/**
 * Unpacks every wheel into the interpreter's site-packages, so that detections
 * import them as installed packages. Runs before the sandbox is applied.
 */
export async function installPythonWheels(pyodide: PyodideAPI, label: string): Promise<void> {
  const wheels = await readPythonWheels();
  let current = '';
  try {
    // Asked of the interpreter: the path carries its Python version.
    const sitePackages = String(pyodide.runPython('import sysconfig\nsysconfig.get_path("purelib")'));
    for (const wheel of wheels) {
      current = wheel.fileName;
      pyodide.unpackArchive(wheel.bytes, 'wheel', { extractDir: sitePackages });
    }
  } catch (err) {
    const which = current === '' ? 'wheels' : `wheel ${current}`;
    throw new DetectionRuntimeError(`cannot install the Python ${which} for ${label}`, {
      code: 'INTERNAL',
      cause: err,
    });
  }
}
