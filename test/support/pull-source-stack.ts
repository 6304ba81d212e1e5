import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CaracalClient } from '@caracal/api';
import { CaracalConfig, createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { RunningCaracal, startCaracal } from '@caracal/runtime';
import { kafkaBrokers, redisUrl, s3Endpoint, tempDir, uniqueName } from './test-env';

/** moto accepts any key; the source is created with these, as a tenant would with its own. */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'caracal-test', secretAccessKey: 'caracal-test-secret' };

/** A client of the test S3 server, as a customer's log shipper writes objects. */
export function testS3Client(): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint: s3Endpoint(), forcePathStyle: true, credentials: S3_TEST_CREDENTIALS });
}

/** A bucket of the test's own (S3 names: lower case, 3-63 characters). */
export async function freshBucket(s3: S3Client, label: string): Promise<string> {
  const bucket = `${label}-${randomBytes(5).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function putObject(s3: S3Client, bucket: string, key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/**
 * Ingest, the writer and the API in kafka mode on the test broker, Redis and
 * S3 server, under their own topic prefix and data dir, with tenant `acme`
 * and an admin token. `restart` stops it gracefully and starts it again on
 * the same prefix, data dir (the lake) and Redis: what a restart of the
 * ingest process mid-way looks like to the pull sources.
 */
export class PullSourceStack {
  running!: RunningCaracal;
  client!: CaracalClient;
  readonly config: CaracalConfig;
  readonly control: ControlStore;
  private readonly token: string;

  private constructor(
    readonly prefix: string,
    private readonly dataDir: string,
    env: Record<string, string>,
  ) {
    this.config = loadConfig({
      CARACAL_MODE: 'kafka',
      CARACAL_KAFKA_BROKERS: kafkaBrokers(),
      CARACAL_KAFKA_TOPIC_PREFIX: prefix,
      CARACAL_REDIS_URL: redisUrl(),
      CARACAL_DATA_DIR: dataDir,
      CARACAL_HTTP_PORT: '0',
      CARACAL_GRPC_PORT: '0',
      CARACAL_OPS_PORT: '0',
      CARACAL_BIND_HOST: '127.0.0.1',
      // The test servers are on loopback.
      CARACAL_SOURCE_ALLOW_PRIVATE_NETWORKS: 'true',
      CARACAL_PULL_SOURCES_SYNC_INTERVAL_MS: '200',
      CARACAL_S3_POLL_INTERVAL_MS: '200',
      ...env,
    });
    this.control = ControlStore.open(this.config.controlFile);
    this.control.createTenant('acme');
    this.token = this.control.createToken({ tenantId: 'acme', name: 'admin', role: 'admin' }).token;
  }

  static async start(label: string, env: Record<string, string> = {}): Promise<PullSourceStack> {
    const stack = new PullSourceStack(uniqueName(label), tempDir(label), env);
    await stack.up();
    return stack;
  }

  private async up(): Promise<void> {
    this.running = await startCaracal(this.config, ['ingest', 'clickhouse-writer', 'api'], createLogger('warn'));
    this.client = new CaracalClient(`127.0.0.1:${this.running.grpcPort}`, this.token);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.up();
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.running.close();
  }

  /**
   * Rows of the source in the lake's GitHub.Audit table, and distinct row ids
   * among them (no FINAL: the writer's own filter). The pull tests use that
   * log type because its topic carries their events alone: every API call
   * adds a Panther.Audit event of its own.
   */
  async lakeRows(sourceId: string): Promise<{ rows: number; ids: number }> {
    const result = await this.client.executeQuery(`SELECT count() AS rows, uniqExact(p_row_id) AS ids FROM panther_logs.github_audit WHERE p_source_id = '${sourceId}'`);
    const [row] = result.rows;
    return { rows: Number(row.rows), ids: Number(row.ids) };
  }

  async rejections(sourceId: string): Promise<{ request_id: string; event_index: number; problems: string; raw_encoding: string }[]> {
    const result = await this.client.executeQuery(
      `SELECT request_id, event_index, problems, raw_encoding FROM panther_monitor.ingest_rejections WHERE p_source_id = '${sourceId}' ORDER BY request_id, event_index`,
    );
    return result.rows.map((r) => ({ request_id: String(r.request_id), event_index: Number(r.event_index), problems: JSON.stringify(r.problems), raw_encoding: String(r.raw_encoding) }));
  }

  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** GitHub audit log events, each distinct: the pull tests' events (see lakeRows). */
export function githubEvents(label: string, n: number): Record<string, unknown>[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    '@timestamp': now - 60_000 + i,
    _document_id: `${label}-${i}`,
    action: 'repo.create',
    actor: `${label}-actor`,
    org: 'acme',
    repo: `acme/${label}-${i}`,
    actor_ip: '198.51.100.23',
  }));
}
