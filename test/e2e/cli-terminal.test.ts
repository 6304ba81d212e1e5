import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The CLI as a person meets it: in a real terminal (a tmux pane), where help
// is read, TAB completes and a progress line is redrawn in place.

const root = repoRoot();
const work = tempDir('cli-terminal');
const socket = path.join(work, 'tmux.sock');
const bin = path.join(work, 'bin');

/** A program from scripts/shells.sh's folder (what `npm test` exports) or PATH; missing is a failure, not a skip. */
function program(name: string): string {
  const dirs = [process.env.CARACAL_TEST_SHELLS_DIR, ...(process.env.PATH ?? '').split(path.delimiter)].filter((d): d is string => !!d);
  const found = dirs.map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
  if (!found) assert.fail(`${name} not found: run "bash scripts/shells.sh fetch" and set CARACAL_TEST_SHELLS_DIR to what it prints (npm test does)`);
  return found;
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
}

/** A pane running `command`, 120 columns wide, in the test's own tmux server. */
function openPane(name: string, command: string): void {
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', command);
}

function screen(name: string): string {
  // From the start of the pane's history: long help scrolls past the visible rows.
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
}

/** Waits until the pane shows `pattern`; the failure shows the screen. */
async function shows(name: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  try {
    return await waitFor(`pane ${name} to show ${pattern}`, async () => (pattern.test(screen(name)) ? screen(name) : undefined), timeoutMs, 100);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- screen ---\n${screen(name)}`);
  }
}

function type(name: string, ...keys: string[]): void {
  // After --, keys such as "--transp" are typed, not read as flags of send-keys.
  tmux('send-keys', '-t', name, '--', ...keys);
}

before(() => {
  execFileSync('tmux', ['-V']);
  // `caracal` on PATH, as `npm install -g` or npx would put it.
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'caracal'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, 'packages', 'cli', 'bin', 'caracal.js')}" "$@"\n`, { mode: 0o755 });
  for (const shell of ['bash', 'zsh', 'fish']) {
    fs.writeFileSync(path.join(work, `caracal.${shell}`), execFileSync(path.join(bin, 'caracal'), ['completion', shell], { encoding: 'utf8' }));
  }
});

after(() => {
  try {
    tmux('kill-server');
  } catch {
    // No session was opened.
  }
});

const env = () => `env -i HOME=${work} TERM=xterm-256color PATH=${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`;

test('--help in a terminal shows the usage, the commands and the exit codes; a subcommand\'s help has its examples', async () => {
  openPane('help', `${env()} sh -c 'caracal --help; echo "[exit $?]"; caracal sources create --help; echo "[exit $?]"; sleep 600'`);
  const text = await shows('help', /\[exit 0\][^]*\[exit 0\]/);
  assert.match(text, /Usage: caracal \[options\] \[command\]/);
  assert.match(text, /Exit codes:/);
  assert.match(text, /Usage: caracal sources create \[options\]/);
  assert.match(text, /--log-type <LogType>/);
  assert.match(text, /Examples:\n\s+\$ caracal sources create --log-type Okta\.SystemLog/);
});

test('TAB completes commands, subcommands, flags and flag values in bash, zsh and fish', async () => {
  const shells: Record<string, string> = {
    bash: `${env()} bash --norc --noprofile`,
    zsh: `${env()} ${program('zsh')} -f`,
    fish: `${env()} ${program('fish')} --no-config`,
  };
  const load: Record<string, string> = {
    bash: `source ${work}/caracal.bash`,
    zsh: `autoload -U compinit && compinit -u && source ${work}/caracal.zsh`,
    fish: `source ${work}/caracal.fish`,
  };
  for (const [shell, command] of Object.entries(shells)) {
    openPane(shell, command);
    type(shell, `${load[shell]}; echo loaded-$((1+1))`.replace('$((1+1))', shell === 'fish' ? '(math 1+1)' : '$((1+1))'), 'Enter');
    await shows(shell, /loaded-2/);
    type(shell, 'caracal sou', 'Tab');
    await shows(shell, /caracal sources $/m);
    type(shell, 'cre', 'Tab');
    await shows(shell, /caracal sources create $/m);
    type(shell, '--transp', 'Tab');
    await shows(shell, /caracal sources create --transport $/m);
    type(shell, 'ka', 'Tab');
    await shows(shell, /caracal sources create --transport kafka $/m);
    type(shell, 'C-c');
  }
});

test('caracal test shows a progress line redrawn in place on a terminal, and none when its stderr is piped', async () => {
  const raw = path.join(work, 'progress.raw');
  const piped = path.join(work, 'piped.err');
  // The commands wait for a key, so that the recording below starts before they do.
  openPane('progress', `${env()} sh -c 'read go; cd ${root} && caracal test rules; echo "[exit $?]"; caracal test rules 2>${piped} | cat >/dev/null; echo "[piped $?]"; sleep 600'`);
  // Everything the pane receives, escapes and all: the redraws themselves, not only the last screen.
  tmux('pipe-pane', '-o', '-t', 'progress', `cat >> ${raw}`);
  type('progress', 'Enter');
  const text = await shows('progress', /\[piped 0\]/, 240_000);
  assert.match(text, /\d+ tests: \d+ passed, 0 failed/);
  assert.match(text, /\[exit 0\]/);
  const bytes = fs.readFileSync(raw, 'latin1');
  assert.match(bytes, /\r\x1b\[2K(loading|starting|testing)/, 'a progress line was drawn with a carriage return and a line clear');
  assert.doesNotMatch(text, /testing: \d+\/\d+ tests/, 'the line is cleared before the report');
  assert.equal(fs.readFileSync(piped, 'utf8'), '', 'nothing on a piped stderr');
});
