import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildProgram } from './cli-program';
import { commandNodes, completionScript, Shell } from './completion-script';

const program = buildProgram({ io: { out: () => undefined, err: () => undefined }, config: () => assert.fail('no command runs here'), exitCode: 0 });
const nodes = commandNodes(program);

test('the tree holds every command and subcommand, and each shell script names all of them and their long flags', () => {
  const paths = nodes.map((n) => n.path);
  for (const p of ['send', 'query', 'status', 'test', 'completion', 'alerts list', 'detections replay', 'schedules runs', 'tokens create', 'sources rotate', 'destinations create', 'tenants list']) {
    assert.ok(paths.includes(p), `no command "${p}" in ${paths.join(', ')}`);
  }
  for (const shell of ['bash', 'zsh', 'fish'] as Shell[]) {
    const script = completionScript(program, shell);
    for (const n of nodes) {
      for (const s of n.subcommands) assert.ok(script.includes(s.name), `${shell}: no ${s.name}`);
      for (const o of n.options) {
        const flag = shell === 'fish' ? `-l ${o.long!.slice(2)}` : o.long!;
        assert.ok(script.includes(flag), `${shell}: no ${flag} of "${n.path}"`);
      }
    }
  }
});

/** What the bash function offers for the words typed so far (the last one being completed). */
function bashOffers(script: string, words: string[]): string[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-completion-')), 'caracal.bash');
  fs.writeFileSync(file, script);
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = execFileSync('bash', ['--norc', '-c', `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _caracal; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

test('the bash script is valid bash and completes commands, subcommands, flags and flag values', () => {
  const script = completionScript(program, 'bash');
  execFileSync('bash', ['-n'], { input: script });
  assert.deepEqual(bashOffers(script, ['caracal', 'sou']), ['sources']);
  assert.deepEqual(bashOffers(script, ['caracal', 'alerts', '']), ['list', 'get', 'update', 'assign', 'comment', '--help']);
  assert.deepEqual(bashOffers(script, ['caracal', 'sources', 'create', '--tr']), ['--transport']);
  assert.deepEqual(bashOffers(script, ['caracal', 'sources', 'create', '--transport', '']), ['http', 's3', 'kafka']);
  assert.deepEqual(bashOffers(script, ['caracal', 'alerts', 'update', 'a1', '--status', 'RE']), ['RESOLVED']);
  // A flag's value is not taken for a word of the command path: "json" is the value of --format.
  assert.deepEqual(bashOffers(script, ['caracal', 'detections', 'test', '--format', 'json', '--e']), ['--event', '--endpoint']);
});
