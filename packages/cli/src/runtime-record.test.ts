import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@caracal/core';
import { opsUrlOf, readRuntimeRecords, runtimeRecordDir } from './runtime-record';

test('records of live processes are listed; a record whose process is gone is stale, not an error', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-runtime-record-'));
  try {
    const config = loadConfig({ CARACAL_DATA_DIR: dataDir });
    assert.deepEqual(readRuntimeRecords(config), { live: [], stalePids: [] });
    const dir = runtimeRecordDir(config);
    fs.mkdirSync(dir, { recursive: true });
    const mine = { pid: process.pid, mode: 'embedded', services: ['ingest'], opsUrl: 'http://127.0.0.1:9464', startedAt: new Date(0).toISOString() };
    fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(mine));
    // Past the kernel's pid limit (2^22), so no process has it.
    const gone = 4_194_305;
    fs.writeFileSync(path.join(dir, `${gone}.json`), JSON.stringify({ ...mine, pid: gone }));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a record');
    assert.deepEqual(readRuntimeRecords(config), { live: [mine], stalePids: [gone] });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a wildcard bind address is recorded as loopback', () => {
  assert.equal(opsUrlOf('0.0.0.0', 9464), 'http://127.0.0.1:9464');
  assert.equal(opsUrlOf('::', 9464), 'http://[::1]:9464');
  assert.equal(opsUrlOf('10.1.2.3', 1), 'http://10.1.2.3:1');
});
