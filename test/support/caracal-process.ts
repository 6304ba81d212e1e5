import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './test-env';
import { waitFor } from './wait-for';

const CLI = () => path.join(repoRoot(), 'packages', 'cli', 'bin', 'caracal.js');

/** A `caracal` command running in the background, its output collected for assertions and failure messages. */
export class CaracalProcess {
  private out = '';
  private err = '';
  readonly child: ChildProcess;
  private exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    // Every process serves an ops endpoint; a fixed port would clash between the processes of one test.
    this.child = spawn(process.execPath, [CLI(), ...args], { env: { ...process.env, CARACAL_OPS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Waits until stdout matches, or fails with what the process printed. */
  async waitForOutput(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpExecArray> {
    // waitFor retries a probe that throws, so an exit is raced in beside it rather than thrown from it.
    const exited = this.exited.then((code) => {
      if (pattern.test(this.out)) return pattern.exec(this.out)!;
      throw new Error(`exited with ${code} before printing ${pattern}: ${this.err.slice(-2000)}`);
    });
    return Promise.race([waitFor(`output ${pattern}`, async () => pattern.exec(this.out) ?? undefined, timeoutMs, 100), exited]).catch((e: Error) => {
      throw new Error(`${e.message}\nstdout:\n${this.out}\nstderr:\n${this.err.slice(-4000)}`);
    });
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Runs one `caracal` command to completion. */
export function runCaracal(args: string[], env: Record<string, string>, input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI(), ...args], { env: { ...process.env, CARACAL_OPS_PORT: '0', ...env }, encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
