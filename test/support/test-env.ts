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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
