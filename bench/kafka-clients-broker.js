// The kafka-clients bench's broker: scripts/kafka.sh as the other benches
// start it (same Kafka, heap and settings), but with a run dir and ports of
// its own. The shared bench broker (29092) is started --fresh and stopped by
// whichever bench runs; two benches on it at once stop each other's broker
// (seen here), and this bench runs for minutes beside the others.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { benchBroker } = require('./pipeline-processes');

const ROOT = path.join(__dirname, '..');
const ENV = {
  CARACAL_KAFKA_RUN_DIR: path.join(ROOT, '.cache', 'kafka', 'run-kafka-clients-bench'),
  CARACAL_KAFKA_PORT: '29192',
  CARACAL_KAFKA_CONTROLLER_PORT: '29193',
};

function kafkaScript(args) {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'kafka.sh'), ...args], { cwd: ROOT, env: { ...process.env, ...ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The given brokers (not measured: not ours), or a fresh broker of this bench's own with its pid. */
function kafkaClientsBroker(given) {
  if (given) return benchBroker(given);
  const out = kafkaScript(['start', '--fresh']);
  const brokers = /CARACAL_KAFKA_BROKERS=(\S+)/.exec(out)?.[1];
  if (!brokers) throw new Error(`scripts/kafka.sh start printed no broker address: ${out}`);
  const pid = Number(fs.readFileSync(path.join(ENV.CARACAL_KAFKA_RUN_DIR, 'kafka.pid'), 'utf8').trim());
  return { brokers, started: true, pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, stop: () => kafkaScript(['stop']) };
}

module.exports = { kafkaClientsBroker };
