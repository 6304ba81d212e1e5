import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The repository root, found from the compiled test's location. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.readFileSync(path.join(dir, 'package.json'), 'utf8').includes('"workspaces"')) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `caracal-${label}-`));
}

/** A unique name for a test's own topics and groups. */
export function uniqueName(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}-`;
}

/**
 * The broker that `npm test` started (scripts/test.sh). A Kafka test without
 * it fails rather than skips: CI must never pass by running nothing.
 */
export function kafkaBrokers(): string {
  const brokers = process.env.CARACAL_TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('CARACAL_TEST_KAFKA_BROKERS is not set: run the suite with `npm test`, which starts the Kafka broker');
  return brokers;
}

/**
 * The Redis server that `npm test` started (scripts/test.sh): kafka mode
 * requires one for the detections' cache. Like Kafka, missing means failing.
 */
export function redisUrl(): string {
  const url = process.env.CARACAL_TEST_REDIS_URL;
  if (!url) throw new Error('CARACAL_TEST_REDIS_URL is not set: run the suite with `npm test`, which starts Redis (or `bash scripts/redis.sh start`)');
  return url;
}

/** Below Linux's default ephemeral range (32768-60999), where outgoing connections take their local ports. */
const FIXED_PORT_RANGE = { from: 20_000, to: 32_000 };

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port a process started next can listen on. A port the OS handed out for
 * listen(0) comes from the ephemeral range, so between this check and the
 * process binding it, any outgoing connection (a Kafka client retrying an
 * unreachable broker, say) could take it as its local port: ports are drawn
 * below that range instead.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIXED_PORT_RANGE.from + Math.floor(Math.random() * (FIXED_PORT_RANGE.to - FIXED_PORT_RANGE.from));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${FIXED_PORT_RANGE.from} and ${FIXED_PORT_RANGE.to} after 200 tries`);
}

/**
 * The S3-compatible server (moto) that `npm test` started (scripts/test.sh):
 * the bucket of the S3 pull sources' tests. Like Kafka, missing means failing.
 */
export function s3Endpoint(): string {
  const endpoint = process.env.CARACAL_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('CARACAL_TEST_S3_ENDPOINT is not set: run the suite with `npm test`, which starts the S3 server (or `bash scripts/s3.sh start`)');
  return endpoint;
}
