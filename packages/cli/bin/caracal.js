#!/usr/bin/env node
'use strict';
// Caracal runs on Node >= 26 (package.json "engines"). `npm start`, `npm test`
// and the benches start it through scripts/node.sh, but `npx caracal ...`
// runs this file with whatever `node` is first on PATH. On an older one, hand
// the command over to the Node that scripts/node.sh fetched into the cache.
const MIN_NODE_MAJOR = 26;
if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
  relaunch();
} else {
  // `caracal --help | head` closes the pipe early; that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  // Exit explicitly: after a failed start, a client library may still hold a
  // socket or timer open, and a command that printed its error must not hang.
  require('../dist/main.js')
    .main(process.argv.slice(2))
    .then((code) => exitAfterFlush(code));
}

/**
 * Writes to a pipe are asynchronous: exiting at once cuts a large report (a
 * JSON or JUnit test run read by CI) at the pipe's buffer, 64 KiB. An empty
 * write's callback runs once everything queued before it is handed over.
 */
function exitAfterFlush(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

function relaunch() {
  const path = require('node:path');
  const fs = require('node:fs');
  const { spawn } = require('node:child_process');
  const root = path.resolve(__dirname, '..', '..', '..');
  const cache = process.env.CARACAL_CACHE_DIR ? path.resolve(process.env.CARACAL_CACHE_DIR) : path.join(root, '.cache');
  const node = path.join(cache, 'node', 'current', 'bin', 'node');
  if (!fs.existsSync(node)) {
    process.stderr.write(
      `caracal: Node.js >= ${MIN_NODE_MAJOR} is needed, this is ${process.version}. ` +
        'Run `npm run setup` (it fetches Node 26 into .cache/node) or put Node >= 26 first on PATH.\n',
    );
    process.exit(1);
  }
  // Its folder first on PATH, so whatever the command starts runs on it too.
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH || ''}` };
  const child = spawn(node, [__filename, ...process.argv.slice(2)], { stdio: 'inherit', env });
  // Ctrl-C reaches the child from the terminal itself (same process group);
  // forwarding it as well would deliver it twice. Other signals are forwarded.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`caracal: could not start ${node}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code === null ? 128 + (require('node:os').constants.signals[signal] || 1) : code));
}
