import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import type { PyodideAPI } from 'pyodide';
import { DetectionRuntimeError } from './errors';
import { detectionsPackageDir } from './package-paths';

/** Where detections find the packages: appended to sys.path, after the standard library. */
export const PYTHON_PACKAGES_MOUNT = '/caracal/site-packages';

/** Written last by scripts/fetch-wheels.sh: its presence means the unpack finished. */
const UNPACKED_MARKER = '.caracal-wheels';

/** The downloaded wheels, as pinned in python-wheels.txt; read only by set-up and the native bench. */
export function pythonWheelsDir(): string {
  return path.join(detectionsPackageDir(), 'wheels');
}

/**
 * The wheels unpacked by scripts/fetch-wheels.sh at set-up; not in git. Its
 * real path: Node's permission model in a detection process allows reads
 * below the real path of the package (sandbox-launch.ts), not below a symlink.
 */
export function pythonPackagesDir(): string {
  return path.join(realpathSync(detectionsPackageDir()), '.python-packages');
}

function notSetUp(dir: string, problem: string, cause?: unknown): DetectionRuntimeError {
  return new DetectionRuntimeError(
    `the Python packages for detections are missing: ${dir} ${problem}; run \`npm run setup\` to download and unpack them`,
    { code: 'UNAVAILABLE', cause, details: { dir } },
  );
}

/** Our own Python the packages need in Pyodide (see python-shims/_caracal_offline.py). */
const OFFLINE_SHIM = { file: '_caracal_offline.py', module: '_caracal_offline', target: '/caracal/shims/_caracal_offline.py' };

let offlineShimSource: Promise<string> | undefined;

function readOfflineShim(): Promise<string> {
  if (!offlineShimSource) {
    offlineShimSource = fs.readFile(path.join(detectionsPackageDir(), 'python-shims', OFFLINE_SHIM.file), 'utf8');
    offlineShimSource.catch(() => (offlineShimSource = undefined));
  }
  return offlineShimSource;
}

const checked = new Map<string, Promise<void>>();

/** That set-up unpacked the packages into `dir`; checked once per process (and folder). */
export function checkPythonPackages(dir: string = pythonPackagesDir()): Promise<void> {
  let check = checked.get(dir);
  if (!check) {
    check = fs.access(path.join(dir, UNPACKED_MARKER)).catch((err: unknown) => {
      throw notSetUp(dir, `has no ${UNPACKED_MARKER} (not unpacked, or unpacking was cut short)`, err);
    });
    checked.set(dir, check);
    // Set-up may run while this process waits; the next interpreter start looks again.
    check.catch(() => checked.delete(dir));
  }
  return check;
}

interface EmscriptenFs {
  mkdirTree(path: string): void;
  writeFile(path: string, data: string): void;
  mount(type: unknown, options: { root: string }, mountpoint: string): void;
  filesystems: { NODEFS: NodeFs };
  ErrnoError: new (errno: number) => Error;
}

interface EmscriptenStream {
  flags: number;
}

interface NodeFs {
  node_ops: Record<string, unknown>;
  stream_ops: Record<string, unknown> & { open(stream: EmscriptenStream): void };
}

/** O_ACCMODE and O_RDONLY as Emscripten numbers them (Linux's). */
const ACCESS_MODE = 3;
const READ_ONLY = 0;
/** Emscripten's errno numbering, which Python's OSError reports. */
const EROFS = 69;

/**
 * Takes every writing operation away from this interpreter's NODEFS, the only
 * file system in it that reaches the host: Emscripten has no read-only mount,
 * and the host's own refusal (bubblewrap's read-only bind, Node's permission
 * model) is missing in an unsandboxed process and, under the permission
 * model, arrives as an error Emscripten cannot translate. So Python's writes
 * there (a .pyc, a detection's own) fail alike everywhere: OSError EROFS.
 */
function makeNodeFsReadOnly(fsApi: EmscriptenFs): void {
  const nodefs = fsApi.filesystems.NODEFS;
  const refuse = () => {
    throw new fsApi.ErrnoError(EROFS);
  };
  for (const op of ['setattr', 'mknod', 'rename', 'unlink', 'rmdir', 'symlink']) nodefs.node_ops[op] = refuse;
  for (const op of ['setattr', 'write', 'msync']) nodefs.stream_ops[op] = refuse;
  const open = nodefs.stream_ops.open.bind(nodefs.stream_ops);
  nodefs.stream_ops.open = (stream) => {
    if ((stream.flags & ACCESS_MODE) !== READ_ONLY) refuse();
    open(stream);
  };
}

/**
 * Makes the unpacked packages importable: the folder is mounted read-only into
 * the interpreter, so a module's files are read from disk only when a
 * detection imports it and interpreters that import none pay nothing for them
 * (decision 0018). Runs before the sandbox is applied.
 */
export async function mountPythonPackages(pyodide: PyodideAPI, label: string): Promise<void> {
  const dir = pythonPackagesDir();
  const [, shim] = await Promise.all([checkPythonPackages(dir), readOfflineShim()]);
  try {
    const fsApi = pyodide.FS as unknown as EmscriptenFs;
    makeNodeFsReadOnly(fsApi);
    fsApi.mkdirTree(PYTHON_PACKAGES_MOUNT);
    fsApi.mount(fsApi.filesystems.NODEFS, { root: dir }, PYTHON_PACKAGES_MOUNT);
    // No .pyc: the mount is read-only, and trying to write one costs a failed open per imported module.
    pyodide.runPython(`import sys\nsys.dont_write_bytecode = True\nsys.path.append(${JSON.stringify(PYTHON_PACKAGES_MOUNT)})`);
    // Loaded by path, not put on sys.path: detections have no reason to import it.
    fsApi.mkdirTree(path.posix.dirname(OFFLINE_SHIM.target));
    fsApi.writeFile(OFFLINE_SHIM.target, shim);
    pyodide.runPython(
      [
        'def _caracal_offline_install():',
        '    import importlib.util',
        `    spec = importlib.util.spec_from_file_location(${JSON.stringify(OFFLINE_SHIM.module)}, ${JSON.stringify(OFFLINE_SHIM.target)})`,
        '    module = importlib.util.module_from_spec(spec)',
        '    sys.modules[spec.name] = module',
        '    spec.loader.exec_module(module)',
        '    module.install()',
        '_caracal_offline_install()',
        'del _caracal_offline_install',
      ].join('\n'),
    );
  } catch (err) {
    throw new DetectionRuntimeError(`cannot mount the Python packages ${dir} for ${label}`, { code: 'INTERNAL', cause: err });
  }
}
