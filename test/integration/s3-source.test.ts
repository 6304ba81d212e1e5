import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { Topics } from '@caracal/bus';
import { RedisS3ProgressStore } from '@caracal/ingest';
import { GroupOffsets } from '../support/group-offsets';
import { freshBucket, githubEvents, PullSourceStack, putObject, S3_TEST_CREDENTIALS, testS3Client } from '../support/pull-source-stack';
import { kafkaBrokers, redisUrl, s3Endpoint } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// S3 sources in kafka mode against the real S3 server (moto), broker, Redis
// and lake: each object's events arrive once, a restart mid-object reads it
// again without a duplicate row, and an unreadable object is one rejection
// that holds nothing up.
let stack: PullSourceStack;
let s3: S3Client;
let offsets: GroupOffsets;

before(async () => {
  // Parts of 5 events: an object of thousands takes hundreds of acknowledged publishes, so a stop lands mid-object.
  stack = await PullSourceStack.start('s3-source', { CARACAL_PULL_PUBLISH_BATCH_EVENTS: '5' });
  s3 = testS3Client();
  offsets = new GroupOffsets(kafkaBrokers(), stack.prefix);
});

after(async () => {
  await offsets?.close();
  s3?.destroy();
  await stack?.close();
});

const events = githubEvents;
const TOPIC = Topics.logs('GitHub.Audit');
const ndjson = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n');

async function s3Source(bucket: string, prefix = ''): Promise<string> {
  const created = await stack.client.createSource({
    sourceId: 'trail',
    logType: 'GitHub.Audit',
    transport: 'SOURCE_TRANSPORT_S3',
    s3: { bucket, prefix, endpoint: s3Endpoint(), forcePathStyle: true, ...S3_TEST_CREDENTIALS },
  });
  assert.equal(created.secret, '', 'a pull source has no HTTP secret');
  assert.equal(created.source?.s3?.secretAccessKey, '', 'the secret access key is never returned');
  return created.source!.sourceId;
}

async function waitForRows(sourceId: string, rows: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(`${rows} rows of ${sourceId} in the lake`, async () => ((await stack.lakeRows(sourceId)).rows >= rows ? true : undefined), timeoutMs);
}

test('objects of every format, plain or gzip, are read once: later polls leave them be', async () => {
  const bucket = await freshBucket(s3, 'it-formats');
  const sourceId = await s3Source(bucket, 'AWSLogs/');
  const before = await offsets.published(TOPIC).catch(() => 0);
  await putObject(s3, bucket, 'AWSLogs/1.ndjson', ndjson(events('ndjson', 3)));
  await putObject(s3, bucket, 'AWSLogs/2.json.gz', gzipSync(JSON.stringify({ Records: events('trail', 4) })));
  await putObject(s3, bucket, 'AWSLogs/3.json', JSON.stringify(events('array', 2)));
  await putObject(s3, bucket, 'other/4.json', JSON.stringify(events('outside-prefix', 1)));
  await waitForRows(sourceId, 9);
  // An object put after the first ones is read by a later poll, which passes over those that are done.
  await putObject(s3, bucket, 'AWSLogs/5.json', JSON.stringify(events('later', 1)[0]));
  await waitForRows(sourceId, 10);
  assert.deepEqual(await stack.lakeRows(sourceId), { rows: 10, ids: 10 });
  assert.equal((await offsets.published(TOPIC)) - before, 10, 'each event was published once: no object read twice');
  const listed = (await stack.client.listSources()).find((s) => s.sourceId === sourceId);
  assert.equal(listed?.transport, 'SOURCE_TRANSPORT_S3');
  assert.deepEqual(
    { bucket: listed?.s3?.bucket, prefix: listed?.s3?.prefix, accessKeyId: listed?.s3?.accessKeyId, secretAccessKey: listed?.s3?.secretAccessKey },
    { bucket, prefix: 'AWSLogs/', accessKeyId: S3_TEST_CREDENTIALS.accessKeyId, secretAccessKey: '' },
  );
});

test('an unreadable object is one rejection with its key and the problem, never retried, and later objects still arrive', async () => {
  const bucket = await freshBucket(s3, 'it-bad');
  const sourceId = await s3Source(bucket);
  const rejectionsBefore = await offsets.published(Topics.deadLetter).catch(() => 0);
  await putObject(s3, bucket, 'a-bad.json.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('not a deflate stream')]));
  await putObject(s3, bucket, 'b-not-json.txt', 'hello, this is no JSON');
  await putObject(s3, bucket, 'c-good.ndjson', `${ndjson(events('good', 2))}\n{"@timestamp": 1}`);
  await waitForRows(sourceId, 2);
  const rejections = await waitFor('the rejections in the lake', async () => {
    const rows = await stack.rejections(sourceId);
    return rows.length >= 3 ? rows : undefined;
  });
  assert.deepEqual(
    rejections.map((r) => [r.request_id, r.event_index]),
    [
      [`s3://${bucket}/a-bad.json.gz`, -1],
      [`s3://${bucket}/b-not-json.txt`, -1],
      [`s3://${bucket}/c-good.ndjson`, 2],
    ],
  );
  assert.match(rejections[0].problems, new RegExp(`s3://${bucket}/a-bad\\.json\\.gz: the object is not valid gzip`));
  assert.equal(rejections[0].raw_encoding, 'base64');
  assert.match(rejections[1].problems, /the object is not JSON, a JSON array or NDJSON/);
  assert.equal(rejections[1].raw_encoding, 'utf8');
  // Polls after a later object: the bad ones were marked done, not read again.
  await putObject(s3, bucket, 'd-later.json', JSON.stringify(events('after-bad', 1)));
  await waitForRows(sourceId, 3);
  assert.equal((await offsets.published(Topics.deadLetter)) - rejectionsBefore, 3, 'each refusal was published once');
});

test('a restart mid-object reads it again whole, and the lake keeps one row per event', async () => {
  const bucket = await freshBucket(s3, 'it-restart');
  const sourceId = await s3Source(bucket);
  const total = 3000;
  const topic = TOPIC;
  const before = await offsets.published(topic).catch(() => 0);
  await putObject(s3, bucket, 'big.ndjson.gz', gzipSync(ndjson(events('big', total))));
  // Stopped once part of the object is acknowledged: the puller abandons the rest, with no done mark.
  await waitFor('part of the object published', async () => ((await offsets.published(topic)) - before >= 50 ? true : undefined), 60_000, 20);
  await stack.stop();
  const firstRun = (await offsets.published(topic)) - before;
  const progress = await RedisS3ProgressStore.connect(redisUrl(), { namespace: stack.prefix });
  try {
    assert.equal((await progress.doneEtags(sourceId, ['big.ndjson.gz'])).size, 0, `the object is not done after the first run (${firstRun} of ${total} events published)`);
    assert.ok(firstRun < total, `the stop came mid-object (${firstRun} of ${total})`);
    await stack.restart();
    await waitForRows(sourceId, total, 120_000);
    await waitFor('the object marked done', async () => ((await progress.doneEtags(sourceId, ['big.ndjson.gz'])).size === 1 ? true : undefined), 60_000);
  } finally {
    await progress.close();
  }
  const published = (await offsets.published(topic)) - before;
  assert.ok(published > total, `the topic holds the copies of the first run too (${published} messages for ${total} events)`);
  assert.deepEqual(await stack.lakeRows(sourceId), { rows: total, ids: total }, 'one row per event, without FINAL');
});

test('HTTP requests to an S3 source are refused before any credentials are looked at', async () => {
  const bucket = await freshBucket(s3, 'it-http');
  const sourceId = await s3Source(bucket);
  const answer = await fetch(`http://127.0.0.1:${stack.running.httpPort}/http/${sourceId}`, { method: 'POST', body: '{}', headers: { 'x-caracal-secret': 'anything' } });
  assert.equal(answer.status, 403);
  assert.match(((await answer.json()) as { error: { message: string } }).error.message, /is read by Caracal from s3 and takes no HTTP requests/);
});
