import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DetectionRuntimeError } from '../errors';
import { detectionsPackageDir } from '../package-paths';
import { sandboxFilterFor } from './seccomp-filter';

/**
 * How a detection host is started:
 * - `bwrap`: bubblewrap (own user, network, pid, ipc, uts and cgroup
 *   namespaces; a read-only view of only what the host needs; an empty
 *   environment; the seccomp filter), as uid 65534 when we are root, and
 *   Node's permission model inside;
 * - `process`: a plain child process with Node's permission model, as uid
 *   65534 when we are root: for pods, where the pod (restricted profile,
 *   optionally gVisor) is the OS boundary and user namespaces are refused;
 * - `unsandboxed`: a plain child process and nothing else. Only for the
 *   negative controls of the security tests; no configuration selects it.
 */
export type SandboxKind = 'bwrap' | 'process' | 'unsandboxed';

export interface SandboxOptions {
  kind: SandboxKind;
  /** bubblewrap's binary; default: the one scripts/bwrap.sh fetched, else /usr/bin/bwrap. */
  bwrapPath?: string;
}

export interface HostLaunch {
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
  /** Written to the child's fd 3 (the seccomp program bubblewrap reads). */
  fd3?: Buffer;
}

/** The unprivileged user detection hosts run as when the rules process is root. */
const NOBODY = 65534;

export interface HostPaths {
  hostScript: string;
  /** Folders the host may read: the node_modules it loads from and the packages it runs. */
  readable: string[];
  nodeBinary: string;
}

let cachedPaths: HostPaths | undefined;

export function hostPaths(): HostPaths {
  if (cachedPaths) return cachedPaths;
  const detectionsDir = realpathSync(detectionsPackageDir());
  const pyodideDir = realpathSync(path.dirname(require.resolve('pyodide')));
  const nodeModules = path.dirname(pyodideDir);
  // errors.ts loads @caracal/core, which lives beside us in the workspace.
  const coreDir = realpathSync(path.dirname(path.dirname(require.resolve('@caracal/core'))));
  cachedPaths = {
    hostScript: path.join(__dirname, 'detection-host.js'),
    readable: [...new Set([nodeModules, detectionsDir, coreDir])],
    nodeBinary: realpathSync(process.execPath),
  };
  return cachedPaths;
}

function defaultBwrap(): string | undefined {
  // node_modules' parent is the repository root, where scripts/bwrap.sh caches it.
  const repoRoot = path.dirname(hostPaths().readable[0]);
  const candidates = [path.join(repoRoot, '.cache', 'bubblewrap', 'root', 'usr', 'bin', 'bwrap'), '/usr/bin/bwrap', '/usr/local/bin/bwrap'];
  return candidates.find((candidate) => existsSync(candidate));
}

/** Node's permission model: reads of the host's own files only; no writes, processes, workers, addons, network, WASI. */
function nodeArgs(paths: HostPaths, memoryLimitMb: number): string[] {
  return [
    '--permission',
    ...paths.readable.map((dir) => `--allow-fs-read=${dir}`),
    // Host code never evaluates strings; code that reached `Function` would.
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${memoryLimitMb}`,
    '--no-warnings',
    paths.hostScript,
  ];
}

/** Whether uid 65534 can reach `file` (every folder above it searchable by others, the file readable by others). */
function othersCanRead(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o004) === 0) return false;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (path.dirname(dir) === dir) return true;
    }
  } catch {
    return false;
  }
}

let nobodyCanRun: boolean | undefined;

/**
 * Run as uid 65534 when we are root and that user can read what the host
 * needs. A checkout under a private folder (/root) cannot be: then bubblewrap
 * still maps the host to 65534 inside its user namespace, with no capability
 * and only the bound folders to see.
 */
function asNobody(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const paths = hostPaths();
  nobodyCanRun ??= [paths.nodeBinary, paths.hostScript, ...paths.readable].every(othersCanRead);
  return nobodyCanRun ? { uid: NOBODY, gid: NOBODY } : {};
}

/** Node's permission model without the experimental flag; `--allow-net` (network refused by default) came in 25. */
const MIN_NODE_MAJOR = 25;

export function hostLaunch(options: SandboxOptions, memoryLimitMb: number): HostLaunch {
  const major = Number(process.versions.node.split('.')[0]);
  if (options.kind !== 'unsandboxed' && major < MIN_NODE_MAJOR) {
    throw new DetectionRuntimeError(`detection processes need Node >= ${MIN_NODE_MAJOR} for its permission model, this is ${process.version}: run through \`npm start\` / \`npm test\`, which bring Node 26 (scripts/node.sh)`, { code: 'INVALID_CONFIG' });
  }
  const paths = hostPaths();
  switch (options.kind) {
    case 'unsandboxed':
      return { command: paths.nodeBinary, args: [paths.hostScript] };
    case 'process':
      return { command: paths.nodeBinary, args: nodeArgs(paths, memoryLimitMb), ...asNobody() };
    case 'bwrap': {
      const bwrap = options.bwrapPath ?? defaultBwrap();
      if (!bwrap) {
        throw new DetectionRuntimeError('bubblewrap (bwrap) was not found: run `npm run setup`, install Debian\'s bubblewrap, or set CARACAL_DETECTION_SANDBOX=process where a pod or VM is the boundary', { code: 'INVALID_CONFIG' });
      }
      const filter = sandboxFilterFor();
      const binds = [...new Set([path.dirname(paths.nodeBinary), ...paths.readable])].flatMap((dir) => ['--ro-bind', dir, dir]);
      const args = [
        '--unshare-all',
        '--die-with-parent',
        '--new-session',
        '--cap-drop', 'ALL',
        '--uid', String(NOBODY),
        '--gid', String(NOBODY),
        '--ro-bind', '/usr', '/usr',
        '--ro-bind-try', '/lib', '/lib',
        '--ro-bind-try', '/lib64', '/lib64',
        '--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache',
        // Before the binds: a bind below /tmp (a Node unpacked there) must stay visible.
        '--tmpfs', '/tmp',
        ...binds,
        '--proc', '/proc',
        '--dev', '/dev',
        '--chdir', '/',
        ...(filter ? ['--seccomp', '3'] : []),
        '--',
        paths.nodeBinary,
        ...nodeArgs(paths, memoryLimitMb),
      ];
      return { command: bwrap, args, ...asNobody(), ...(filter ? { fd3: filter } : {}) };
    }
  }
}
