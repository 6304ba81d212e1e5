import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '@caracal/core';
import type { CaracalConfig } from '@caracal/core';
import type { CliIo } from './cli-output';
import { ControlStore } from '@caracal/core/control-plane';
import { runProgram } from './main';

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-cli-tenants-'));
  const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
  const out: string[] = [];
  return { config, out, io: { out: (t: string) => void out.push(t), err: () => undefined } };
}

function tenantsCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runProgram(['tenants', ...args], io, () => config);
}

test('tenants create makes the tenant and a first admin token, shown once, that the control file accepts', async () => {
  const { config, out, io } = setup();
  assert.equal(await tenantsCommand(config, ['create', 'acme', '--name', 'Acme Corp'], io), 0);
  const token = /^\s+(crc_\S+)$/m.exec(out[0])?.[1];
  assert.ok(token, out[0]);
  assert.match(out[0], /tenant "acme" created \(name "Acme Corp"\)/);
  assert.match(out[0], /shown only now/);
  const control = ControlStore.open(config.controlFile);
  assert.deepEqual(
    control.tokensOf('acme').map((t) => [t.name, t.role]),
    [['admin', 'admin']],
  );
  assert.ok(!fs.readFileSync(config.controlFile, 'utf8').includes(token), 'only the hash is kept');

  assert.equal(await tenantsCommand(config, ['list', '--format', 'json'], io), 0);
  const rows = JSON.parse(out[1]) as Record<string, unknown>[];
  assert.deepEqual(rows.map((r) => [r.id, r.name, r.sources, r.tokens, r.destinations]), [['acme', 'Acme Corp', 0, 1, 0]]);
  assert.equal(await tenantsCommand(config, ['list'], io), 0);
  assert.match(out[2], /acme\s+Acme Corp[^]*\(1 tenants in /);
  assert.ok(!out.slice(1).some((o) => o.includes(token)));
});

test('tenants errors name what is wrong', async () => {
  const { config, io } = setup();
  await tenantsCommand(config, ['create', 'acme'], io);
  const parserRefuses: [string[], RegExp][] = [
    [['create'], /^caracal: missing required argument 'tenantId'/],
    [['create', 'a', 'b'], /^caracal: too many arguments for 'create'\. Expected 1 argument but got 2/],
    [['create', 'beta', '--token', 'x'], /^caracal: unknown option '--token'/],
    [['list', '--format', 'xml'], /Allowed choices are table, json/],
    [['delete', 'acme'], /^caracal: unknown command 'delete'/],
  ];
  for (const [args, pattern] of parserRefuses) {
    const err: string[] = [];
    assert.equal(await tenantsCommand(config, args, { out: () => undefined, err: (t) => void err.push(t) }), 2, args.join(' '));
    assert.match(err.join('\n'), pattern, args.join(' '));
  }
  const storeRefuses: [string[], RegExp][] = [
    [['create', 'acme'], /tenant "acme" already exists/],
    [['create', 'Bad Id'], /tenant id/],
  ];
  for (const [args, pattern] of storeRefuses) {
    await assert.rejects(tenantsCommand(config, args, io), (err: Error) => pattern.test(err.message), args.join(' '));
  }
});
