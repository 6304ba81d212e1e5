import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ControlStore } from '@caracal/core/control-plane';

// `caracal destinations` run as a child process against a control file of its own.
const CLI = path.resolve(__dirname, '..', 'bin', 'caracal.js');

function caracal(dir: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, CARACAL_DATA_DIR: dir, CARACAL_CONTROL_FILE: path.join(dir, 'control.json') };
    execFile(process.execPath, [CLI, ...args], { cwd: dir, env, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      resolve({ status: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

test('destinations create shows a webhook secret once; list never shows secrets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-cli-dest-'));
  ControlStore.open(path.join(dir, 'control.json')).createTenant('acme');

  const hook = await caracal(dir, ['destinations', 'create', '--tenant', 'acme', '--id', 'soc-hook', '--type', 'webhook', '--url', 'https://soc.example.com/in?key=k1']);
  assert.equal(hook.status, 0, hook.stderr);
  const secret = /^\s+(cds_\S+)$/m.exec(hook.stdout)?.[1];
  assert.ok(secret, hook.stdout);
  assert.match(hook.stdout, /shown only now/);

  const slack = await caracal(dir, [
    'destinations', 'create', '--tenant', 'acme', '--id', 'sec-slack', '--type', 'slack',
    '--url', 'https://hooks.slack.com/services/T0/B0/tok3n', '--name', 'Security', '--severities', 'high,CRITICAL',
  ]);
  assert.equal(slack.status, 0, slack.stderr);
  assert.doesNotMatch(slack.stdout, /cds_|tok3n/);

  const list = await caracal(dir, ['destinations', 'list', '--tenant', 'acme', '--format', 'json']);
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(
    JSON.parse(list.stdout).map((d: Record<string, unknown>) => [d.id, d.name, d.type, d.url, d.severities]),
    [
      ['soc-hook', 'soc-hook', 'webhook', 'https://soc.example.com/in', ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']],
      ['sec-slack', 'Security', 'slack', 'https://hooks.slack.com/services/T0/B0/…', ['HIGH', 'CRITICAL']],
    ],
  );
  const table = await caracal(dir, ['destinations', 'list', '--tenant', 'acme']);
  for (const out of [list.stdout, table.stdout]) {
    assert.ok(!out.includes(secret) && !out.includes('tok3n') && !out.includes('k1'), out);
  }
  assert.match(table.stdout, /\(2 destinations\)/);
});

test('destinations errors name what is wrong', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-cli-dest-'));
  ControlStore.open(path.join(dir, 'control.json')).createTenant('acme');
  // Exit 1: the control store refused; exit 2: the command line did not parse.
  const cases: [string[], number, RegExp][] = [
    [['destinations', 'create', '--tenant', 'acme', '--id', 'x', '--type', 'slack', '--url', 'http://hooks.slack.com/x'], 1, /slack destination must be https/],
    [['destinations', 'create', '--tenant', 'acme', '--id', 'x', '--type', 'webhook'], 2, /required option '--url <url>' not specified/],
    [['destinations', 'create', '--tenant', 'acme', '--id', 'x', '--type', 'webhook', '--url', 'https://e.com', '--severities', 'urgent'], 1, /"URGENT" is not one of/],
    [['destinations', 'create', '--tenant', 'acme', '--id', 'x', '--type', 'email', '--url', 'https://e.com'], 2, /argument 'email' is invalid\. Allowed choices are webhook, slack/],
    [['destinations', 'list', '--tenant', 'nope'], 1, /no tenant "nope"/],
    [['destinations', 'list', '--tenant', 'acme', '--secret'], 2, /unknown option '--secret'/],
    [['destinations', 'remove'], 2, /unknown command 'remove'/],
  ];
  const runs = await Promise.all(cases.map(([args]) => caracal(dir, args)));
  runs.forEach((run, i) => {
    assert.equal(run.status, cases[i][1], cases[i][0].join(' '));
    assert.match(run.stderr, cases[i][2]);
  });
});
