import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What an escaped detection would find on the host, planted by the test so
 * that reaching it leaves evidence the test can check:
 * - canary files (one in a fresh temp dir outside the repo, one in the
 *   repository's build output, outside what a detection host needs), readable
 *   by anyone so that only the sandbox, not file modes, keeps them;
 * - a canary variable in this process's environment, set before any engine;
 * - digests of host data an escape would read (this process's own initial
 *   environment, pid 1's environment and command line): the detection reports
 *   digests, never the data, so no real environment ends up in test output;
 * - per case, a world-writable folder an escape would write its markers into;
 * - per case, a TCP listener on 127.0.0.1 that counts connections.
 *
 * Detections are told where to look (paths, the variable's name, the port),
 * never the secrets: a secret in an outcome can only come from reading it.
 */
export interface HostWitness {
  /** The fresh temp dir (outside the repo) holding the outside canary and the case folders. */
  root: string;
  canaryFiles: { outside: string; inRepo: string };
  envName: string;
  /** Secret value → what it is, for the report. */
  secrets: Map<string, string>;
  /** Digest → the host data it stands for. */
  forbiddenDigests: Map<string, string>;
  caseDir(name: string): string;
  cleanup(): void;
}

const secret = (label: string): string => `rt-${label}-${randomBytes(12).toString('hex')}`;

/** What detections and the JavaScript payload report for data they must not echo: the first 24 hex of its sha256. */
export function digest(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 24);
}

function readIfPossible(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** `inRepoDir`: a folder of the repository a detection host never needs (the suite's own build output). */
export function plantHostWitness(inRepoDir: string): HostWitness {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-redteam-'));
  fs.chmodSync(root, 0o755);
  fs.mkdirSync(path.join(root, 'cases'), { mode: 0o777 });
  fs.chmodSync(path.join(root, 'cases'), 0o777);
  const secrets = new Map<string, string>();
  const outsideSecret = secret('file-outside');
  const inRepoSecret = secret('file-in-repo');
  const envSecret = secret('env');
  secrets.set(outsideSecret, 'the canary file outside the repository');
  secrets.set(inRepoSecret, 'the canary file inside the repository');
  secrets.set(envSecret, "the canary variable of the engine's process environment");
  const outside = path.join(root, 'canary.txt');
  fs.writeFileSync(outside, `${outsideSecret}\n`, { mode: 0o644 });
  fs.chmodSync(outside, 0o644);
  fs.mkdirSync(inRepoDir, { recursive: true });
  const inRepo = path.join(inRepoDir, `.redteam-canary-${randomBytes(4).toString('hex')}.txt`);
  fs.writeFileSync(inRepo, `${inRepoSecret}\n`, { mode: 0o644 });
  fs.chmodSync(inRepo, 0o644);
  const envName = 'CARACAL_REDTEAM_CANARY';
  process.env[envName] = envSecret;

  const forbiddenDigests = new Map<string, string>();
  const hostData: [string, string][] = [
    ['/proc/self/environ', "the engine process's environment"],
    [`/proc/${process.ppid}/environ`, "the engine's parent process's environment"],
    ['/proc/1/environ', "the host's pid 1 environment"],
    ['/proc/1/cmdline', "the host's pid 1 command line"],
  ];
  for (const [file, label] of hostData) {
    const data = readIfPossible(file);
    // Empty data digests the same everywhere: no evidence of anything.
    if (data && data.length > 0) forbiddenDigests.set(digest(data), `${label} (${file} as the test reads it)`);
  }
  return {
    root,
    canaryFiles: { outside, inRepo },
    envName,
    secrets,
    forbiddenDigests,
    caseDir(name: string): string {
      const dir = path.join(root, 'cases', name);
      fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
      fs.chmodSync(dir, 0o777);
      return dir;
    },
    cleanup(): void {
      delete process.env[envName];
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(inRepo, { force: true });
    },
  };
}

export interface Listener {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A TCP listener on 127.0.0.1 that counts and drops every connection. */
export async function startListener(): Promise<Listener> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Text that only a detection outrunning its limits produces (see the prelude's rt_stall and rt_hog). */
export const LIMIT_SURVIVED = /(STALL|MEMORY)-SURVIVED[^;"\\]*/;

/** Evidence in what came back to the tenant: secrets, digests of host data, output of `id`, a limit outrun. */
export function evidenceInText(witness: HostWitness, text: string, extraSecrets: Map<string, string> = new Map()): string[] {
  const found: string[] = [];
  for (const [value, label] of [...witness.secrets, ...extraSecrets]) {
    if (text.includes(value)) found.push(`the outcome carries ${label}`);
  }
  for (const [value, label] of witness.forbiddenDigests) {
    if (text.includes(value)) found.push(`the outcome carries the digest of ${label}`);
  }
  const uid = /uid=\d+\([^)]*\)/.exec(text);
  if (uid) found.push(`the outcome carries the output of \`id\` run on the host: ${uid[0]}`);
  const outrun = LIMIT_SURVIVED.exec(text);
  if (outrun) found.push(`the detection outran its limits: ${outrun[0].slice(0, 200)}`);
  return found;
}

/** Files an escape left in a case folder (the sandbox must keep it empty). */
export function filesWritten(dir: string): string[] {
  try {
    return fs.readdirSync(dir).map((name) => {
      const file = path.join(dir, name);
      const content = readIfPossible(file)?.toString('utf8').slice(0, 120) ?? '';
      return `${file}${content ? ` (${JSON.stringify(content)})` : ''}`;
    });
  } catch {
    return [`${dir} is gone (removed by the detection?)`];
  }
}
