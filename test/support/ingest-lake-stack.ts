import * as fs from 'node:fs';
import { CaracalClient } from '@caracal/api';
import { startCaracal, RunningCaracal } from '@caracal/runtime';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { kafkaBrokers, redisUrl, tempDir, uniqueName } from './test-env';

/**
 * Ingest, the writer and the query service in kafka mode on the test broker,
 * under their own topic prefix, with one tenant `acme`, its Panther.Audit
 * source `acme-audit` and a read-only token: what a test of the path from an
 * HTTP body to lake rows needs.
 */
export interface IngestLakeStack {
  /** The topic prefix, for lag and topic checks. */
  prefix: string;
  running: RunningCaracal;
  /** Read-only, tenant acme. */
  client: CaracalClient;
  /** Shared secret of source acme-audit. */
  secret: string;
  /** Ingest's base URL. */
  base: string;
  close(): Promise<void>;
}

export async function startIngestLakeStack(label: string): Promise<IngestLakeStack> {
  const prefix = uniqueName(label);
  const dataDir = tempDir(label);
  const config = loadConfig({
    CARACAL_MODE: 'kafka',
    CARACAL_KAFKA_BROKERS: kafkaBrokers(),
    CARACAL_KAFKA_TOPIC_PREFIX: prefix,
    CARACAL_REDIS_URL: redisUrl(),
    CARACAL_DATA_DIR: dataDir,
    CARACAL_HTTP_PORT: '0',
    CARACAL_GRPC_PORT: '0',
    CARACAL_OPS_PORT: '0',
    CARACAL_BIND_HOST: '127.0.0.1',
  });
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  const secret = control.createSource({ id: 'acme-audit', tenantId: 'acme', logType: 'Panther.Audit' }).secret;
  const token = control.createToken({ tenantId: 'acme', name: 'reader', role: 'read-only' }).token;
  const running = await startCaracal(config, ['ingest', 'clickhouse-writer', 'api'], createLogger('warn'));
  const client = new CaracalClient(`127.0.0.1:${running.grpcPort}`, token);
  return {
    prefix,
    running,
    client,
    secret,
    base: `http://127.0.0.1:${running.httpPort}`,
    async close() {
      client.close();
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
