import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaracalConfig, CaracalError, describeError, RunMode } from '@caracal/core';
import type { RunningCaracal } from '@caracal/runtime';

/**
 * What a running `caracal start` or `caracal serve` leaves in the data dir so
 * that `caracal status` on the same machine finds it: one file per process
 * (several `serve` processes may share a data dir), removed when it exits.
 */
export interface RuntimeRecord {
  pid: number;
  mode: RunMode;
  services: string[];
  /** The ops endpoint: /livez, /readyz, /statusz, /metrics. */
  opsUrl: string;
  /** ISO 8601: when its services were up. */
  startedAt: string;
}

export function runtimeRecordDir(config: CaracalConfig): string {
  return path.join(config.dataDir, 'run');
}

/** A wildcard bind address is not one to connect to; the same machine reaches it on loopback. */
export function opsUrlOf(bindHost: string, port: number): string {
  const host = bindHost === '0.0.0.0' || bindHost === '' ? '127.0.0.1' : bindHost === '::' ? '::1' : bindHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Writes this process's record and removes it when the process exits, however
 * it ends short of a kill: a stale record is read as "not running" anyway.
 * A data dir that cannot be written (a read-only pod) costs only the record.
 */
export function recordRuntime(config: CaracalConfig, running: RunningCaracal): void {
  const record: RuntimeRecord = {
    pid: process.pid,
    mode: config.mode,
    services: [...running.services],
    opsUrl: opsUrlOf(config.bindHost, running.opsPort),
    startedAt: new Date().toISOString(),
  };
  const file = path.join(runtimeRecordDir(config), `${process.pid}.json`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  } catch (err) {
    running.logger.warn({ file, error: describeError(err) }, 'the runtime record could not be written; caracal status needs --ops for this process');
    return;
  }
  process.once('exit', () => fs.rmSync(file, { force: true }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RuntimeRecords {
  live: RuntimeRecord[];
  /** Records whose process is gone (killed, or the machine restarted). */
  stalePids: number[];
}

/** The records in the data dir, split by whether their process still exists. */
export function readRuntimeRecords(config: CaracalConfig): RuntimeRecords {
  const dir = runtimeRecordDir(config);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { live: [], stalePids: [] };
    throw new CaracalError('UNAVAILABLE', `cannot read ${dir}: ${describeError(err)}`, { cause: err });
  }
  const out: RuntimeRecords = { live: [], stalePids: [] };
  for (const name of names.sort((a, b) => parseInt(a) - parseInt(b))) {
    const file = path.join(dir, name);
    let record: RuntimeRecord;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8')) as RuntimeRecord;
    } catch {
      // Removed between the listing and the read: its process just exited.
      continue;
    }
    if (alive(record.pid)) out.live.push(record);
    else out.stalePids.push(record.pid);
  }
  return out;
}
