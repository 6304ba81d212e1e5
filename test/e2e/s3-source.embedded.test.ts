import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { dataLakeQueryEvent, deleteDetectionEvent } from '../support/audit-events';
import { CaracalProcess, runCaracal } from '../support/caracal-process';
import { freshBucket, putObject, S3_TEST_CREDENTIALS, testS3Client } from '../support/pull-source-stack';
import { repoRoot, s3Endpoint, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// An S3 source through the CLI in embedded mode: `caracal start`, `caracal
// sources create --transport s3`, an object put by a log shipper, and the
// events out through `caracal query`.
const dataDir = tempDir('e2e-s3');
const env = {
  CARACAL_DATA_DIR: dataDir,
  CARACAL_HTTP_PORT: '0',
  CARACAL_GRPC_PORT: '0',
  CARACAL_LOG_LEVEL: 'warn',
  CARACAL_RULES_DIR: path.join(repoRoot(), 'rules'),
  CARACAL_S3_POLL_INTERVAL_MS: '200',
  CARACAL_PULL_SOURCES_SYNC_INTERVAL_MS: '200',
};
let caracal: CaracalProcess;
let s3: S3Client;

before(async () => {
  caracal = new CaracalProcess(['start'], env);
  await caracal.waitForOutput(/Stop with Ctrl-C/);
  s3 = testS3Client();
});

after(async () => {
  s3?.destroy();
  await caracal?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]): string {
  const r = runCaracal(args, env);
  assert.equal(r.status, 0, `caracal ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('caracal sources create --transport s3, an object put in the bucket, and its events in caracal query', async () => {
  const bucket = await freshBucket(s3, 'e2e-trail');
  const secretFile = path.join(dataDir, 's3-secret');
  fs.writeFileSync(secretFile, `${S3_TEST_CREDENTIALS.secretAccessKey}\n`, { mode: 0o600 });
  const created = cli([
    'sources',
    'create',
    '--id',
    'trail',
    '--log-type',
    'Panther.Audit',
    '--transport',
    's3',
    '--bucket',
    bucket,
    '--prefix',
    'AWSLogs/',
    '--endpoint',
    s3Endpoint(),
    '--access-key-id',
    S3_TEST_CREDENTIALS.accessKeyId,
    '--secret-access-key-file',
    secretFile,
  ]);
  const sourceId = /source "(trail-[0-9a-f]{10})" created: Panther\.Audit/.exec(created)?.[1];
  assert.ok(sourceId, created);
  assert.match(created, new RegExp(`Caracal reads s3://${bucket}/AWSLogs/ \\(region us-east-1, endpoint ${s3Endpoint().replace(/[.]/g, '\\.')} \\(path style\\), access key caracal-test\\)`));
  const listed = JSON.parse(cli(['sources', 'list', '--format', 'json'])) as Record<string, unknown>[];
  const row = listed.find((s) => s.sourceId === sourceId);
  assert.equal(row?.transport, 's3');
  assert.deepEqual(row?.secrets, []);
  assert.ok(!cli(['sources', 'list']).includes(S3_TEST_CREDENTIALS.secretAccessKey), 'the secret is never listed');

  // CloudTrail's shape: a gzip object with the events in Records.
  const events = [deleteDetectionEvent('E2E.S3.One', 'bart@springfield.gov'), dataLakeQueryEvent('lisa@springfield.gov')];
  await putObject(s3, bucket, 'AWSLogs/123456789012/CloudTrail/us-east-1/2026/12/07/trail.json.gz', gzipSync(JSON.stringify({ Records: events })));
  const rows = await waitFor(
    'the events in the lake',
    async () => {
      const found = JSON.parse(cli(['query', `SELECT actionName, actor.name AS actor FROM panther_logs.panther_audit WHERE p_source_id = '${sourceId}' ORDER BY actionName`, '--format', 'json'])) as {
        actionName: string;
        actor: string;
      }[];
      return found.length >= 2 ? found : undefined;
    },
    90_000,
    500,
  );
  assert.deepEqual(
    rows.map((r) => [r.actionName, r.actor]),
    [
      ['DELETE_DETECTION', 'bart@springfield.gov'],
      ['EXECUTE_DATA_LAKE_QUERY', 'lisa@springfield.gov'],
    ],
  );
});
