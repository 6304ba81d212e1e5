import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RedisS3ProgressStore } from '@caracal/ingest';
import { redisUrl, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The progress of S3 sources in kafka mode, on the real Redis: what several
// ingest replicas share so that each object is read by one of them.
let replicaA: RedisS3ProgressStore;
let replicaB: RedisS3ProgressStore;
const namespace = uniqueName('s3-progress');

before(async () => {
  replicaA = await RedisS3ProgressStore.connect(redisUrl(), { namespace });
  replicaB = await RedisS3ProgressStore.connect(redisUrl(), { namespace });
});

after(async () => {
  await replicaA?.close();
  await replicaB?.close();
});

const ref = (key: string, etag = '"e1"') => ({ sourceId: 'trail-1', key, etag });

test('of two replicas one claims an object; a lease that ends without renewal frees it; done holds for its ETag only', async () => {
  assert.equal(await replicaA.claim(ref('a.json.gz'), 'A', 60_000), 'claimed');
  assert.equal(await replicaB.claim(ref('a.json.gz'), 'B', 60_000), 'running');
  assert.equal(await replicaB.renew(ref('a.json.gz'), 'B', 60_000), false, 'only the owner renews');
  assert.equal(await replicaA.renew(ref('a.json.gz'), 'A', 60_000), true);
  await replicaB.release(ref('a.json.gz'), 'B');
  assert.equal(await replicaB.claim(ref('a.json.gz'), 'B', 60_000), 'running', 'only the owner releases');
  await replicaA.markDone(ref('a.json.gz'));
  await replicaA.release(ref('a.json.gz'), 'A');
  assert.equal(await replicaB.claim(ref('a.json.gz'), 'B', 60_000), 'done');
  assert.deepEqual([...(await replicaB.doneEtags('trail-1', ['a.json.gz', 'b.json.gz']))], [['a.json.gz', '"e1"']]);
  assert.equal(await replicaB.claim(ref('a.json.gz', '"e2"'), 'B', 60_000), 'claimed', 'a rewritten object is read again');
  // A reader that died mid-object: its short lease ends and the other replica takes the object.
  assert.equal(await replicaA.claim(ref('c.json.gz'), 'A', 300), 'claimed');
  await waitFor('the dead reader\'s lease to end', async () => ((await replicaB.claim(ref('c.json.gz'), 'B', 60_000)) === 'claimed' ? true : undefined), 10_000, 50);
  assert.equal(await replicaA.renew(ref('c.json.gz'), 'A', 60_000), false, 'the first reader learns it lost the claim');
});

test('prune forgets the marks of objects gone from a complete listing, not those marked since it began', async () => {
  await replicaA.markDone({ sourceId: 'trail-2', key: 'kept', etag: '"k"' });
  await replicaA.markDone({ sourceId: 'trail-2', key: 'deleted', etag: '"d"' });
  const listedSince = Date.now() + 1;
  await waitFor('the clock to pass the listing start', async () => (Date.now() > listedSince ? true : undefined), 1000, 1);
  await replicaB.markDone({ sourceId: 'trail-2', key: 'new', etag: '"n"' });
  assert.equal(await replicaA.prune('trail-2', new Set(['kept']), listedSince), 1);
  assert.deepEqual([...(await replicaB.doneEtags('trail-2', ['kept', 'deleted', 'new'])).keys()], ['kept', 'new']);
});
