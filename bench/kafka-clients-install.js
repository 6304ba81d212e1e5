// The candidate Kafka clients of the kafka-clients bench, installed into a
// cache folder the bench owns (.cache/kafka-clients-bench), not into the
// project's dependencies: @confluentinc/kafka-javascript is a native addon,
// and a librdkafka build in every user's `npm install` is a cost the product
// does not need until it chooses that client. Installed once, on the bench's
// first use; later runs find the pinned versions there and install nothing.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, '.cache', 'kafka-clients-bench');
// Pinned, so a cached install and a fresh one measure the same code.
const CANDIDATES = { '@platformatic/kafka': '2.12.1', '@confluentinc/kafka-javascript': '1.10.1' };
const CONFLUENT_ADDON = path.join(CACHE, 'node_modules', '@confluentinc', 'kafka-javascript', 'build', 'Release', 'confluent-kafka-javascript.node');
const INFO = path.join(CACHE, 'install-info.json');

function installedVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(CACHE, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function installed() {
  return Object.entries(CANDIDATES).every(([name, version]) => installedVersion(name) === version) && fs.existsSync(CONFLUENT_ADDON) && fs.existsSync(INFO);
}

/**
 * A folder with include/node for this Node: node-gyp would otherwise download
 * the headers from nodejs.org, which machines that reach only the package
 * registries cannot. The pinned Node keeps only bin/node; the same npm
 * package it came from (node-linux-<arch>) carries include/node.
 */
function nodeHeadersDir(log) {
  const beside = path.dirname(path.dirname(process.execPath));
  if (fs.existsSync(path.join(beside, 'include', 'node', 'node.h'))) return beside;
  const dir = path.join(CACHE, `node-v${process.versions.node}-headers`);
  if (fs.existsSync(path.join(dir, 'include', 'node', 'node.h'))) return dir;
  log(`kafka-clients: fetching the headers of Node ${process.versions.node} (npm package node-linux-${process.arch})`);
  const stage = fs.mkdtempSync(path.join(CACHE, 'headers-'));
  try {
    // npm pack checks the tarball against the registry's integrity.
    const tgz = execFileSync('npm', ['pack', '--silent', `node-linux-${process.arch}@${process.versions.node}`], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', path.join(stage, tgz), '-C', stage, 'package/include']);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(stage, 'package'), dir);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Installs the candidates into the cache (once) and returns how they got
 * there: { versions, confluentBuild: 'prebuilt' | 'built from source', seconds, at }.
 */
function ensureCandidateClients(log = (line) => console.error(line)) {
  if (installed()) return JSON.parse(fs.readFileSync(INFO, 'utf8'));
  fs.mkdirSync(CACHE, { recursive: true });
  const manifest = path.join(CACHE, 'package.json');
  const pkg = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')) : { name: 'caracal-kafka-clients-bench-cache', private: true };
  // npm 11 warns of install scripts it was not told to allow; this one builds the addon.
  pkg.allowScripts = { ...pkg.allowScripts, '@confluentinc/kafka-javascript': true };
  fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
  const t0 = performance.now();
  const nodedir = nodeHeadersDir(log);
  const specs = Object.entries(CANDIDATES).map(([name, version]) => `${name}@${version}`);
  log(`kafka-clients: installing ${specs.join(', ')} into ${path.relative(ROOT, CACHE)} (once; librdkafka may be built from source, minutes on 2 cores)`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...specs], {
    cwd: CACHE,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      // This Node first on PATH: node-gyp and the package's gyp helpers run under it.
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodedir,
      // node-pre-gyp first tries the prebuilt binary (a GitHub release download).
      // Its fallback build links librdkafka against the system's OpenSSL and
      // zlib: the default static build has librdkafka's configure download
      // its dependencies' sources, which machines that reach only the
      // package registries cannot.
      CKJS_LINKING: 'dynamic',
      // Not JOBS=max: with a parallel make the addon's target asks for
      // librdkafka's config.h before the configure step has written it (seen
      // here: "No rule to make target '../deps/librdkafka/config.h'").
      // librdkafka's own make runs with -j anyway.
      JOBS: '1',
    },
  });
  const confluentDir = path.join(CACHE, 'node_modules', '@confluentinc', 'kafka-javascript');
  const info = {
    versions: Object.fromEntries(Object.keys(CANDIDATES).map((name) => [name, installedVersion(name)])),
    // A source build leaves librdkafka's own build output under build/deps.
    confluentBuild: fs.existsSync(path.join(confluentDir, 'build', 'deps')) ? 'built from source (librdkafka linked dynamically, system OpenSSL/zlib)' : 'prebuilt binary',
    seconds: Math.round((performance.now() - t0) / 1000),
    at: new Date().toISOString(),
    node: process.version,
  };
  if (!fs.existsSync(CONFLUENT_ADDON)) throw new Error(`kafka-clients: @confluentinc/kafka-javascript installed without its addon (${CONFLUENT_ADDON})`);
  fs.writeFileSync(INFO, `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** require() of a candidate client from the bench's cache, never from the project's node_modules. */
function requireCandidate(name) {
  return require(require.resolve(name, { paths: [CACHE] }));
}

module.exports = { CACHE, CANDIDATES, ensureCandidateClients, requireCandidate };

if (require.main === module) console.log(JSON.stringify(ensureCandidateClients(), null, 2));
