import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalS3ProgressStore } from './local-s3-progress.store';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-s3-progress-'));
}

const ref = (key: string, etag = '"e1"') => ({ sourceId: 'ct-1', key, etag });

test('an object is claimed by one reader until its lease ends, and is done for its ETag only', async () => {
  let now = 1_000;
  const store = new LocalS3ProgressStore(tempDir(), () => now);
  assert.equal(await store.claim(ref('a'), 'r1', 100), 'claimed');
  assert.equal(await store.claim(ref('a'), 'r2', 100), 'running');
  assert.equal(await store.renew(ref('a'), 'r2', 100), false, 'only the owner renews');
  now += 90;
  assert.equal(await store.renew(ref('a'), 'r1', 100), true);
  now += 90;
  assert.equal(await store.claim(ref('a'), 'r2', 100), 'running', 'the renewed lease still holds');
  now += 20;
  assert.equal(await store.claim(ref('a'), 'r2', 100), 'claimed', 'an ended lease (its reader died) frees the object');
  assert.equal(await store.renew(ref('a'), 'r1', 100), false, 'the first reader learns it lost the claim');
  await store.markDone(ref('a'));
  await store.release(ref('a'), 'r2');
  assert.equal(await store.claim(ref('a'), 'r3', 100), 'done');
  assert.equal(await store.claim(ref('a', '"e2"'), 'r3', 100), 'claimed', 'a new version of the key is read again');
  await store.release(ref('a', '"e2"'), 'r1');
  assert.equal(await store.claim(ref('a', '"e2"'), 'r4', 100), 'running', 'only the owner releases');
  await store.release(ref('a', '"e2"'), 'r3');
  assert.equal(await store.claim(ref('a', '"e2"'), 'r4', 100), 'claimed');
});

test('done marks survive a restart, claims do not, and a line cut short by a crash is ignored', async () => {
  const dir = tempDir();
  const first = new LocalS3ProgressStore(dir);
  await first.markDone(ref('logs/1.json.gz'));
  await first.markDone(ref('logs/2.json.gz'));
  assert.equal(await first.claim(ref('logs/3.json.gz'), 'r1', 60_000), 'claimed');
  await first.close();
  const file = path.join(dir, 'ct-1.s3-done.ndjson');
  fs.appendFileSync(file, '{"k":"logs/3.json.gz","m":"1');
  const second = new LocalS3ProgressStore(dir);
  assert.deepEqual(
    [...(await second.doneEtags('ct-1', ['logs/1.json.gz', 'logs/2.json.gz', 'logs/3.json.gz']))],
    [
      ['logs/1.json.gz', '"e1"'],
      ['logs/2.json.gz', '"e1"'],
    ],
  );
  assert.equal(await second.claim(ref('logs/3.json.gz'), 'r2', 60_000), 'claimed', 'the dead process\'s claim is gone');
  assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 2, 'the file was written anew without the cut line');
  assert.deepEqual([...(await second.doneEtags('other', ['logs/1.json.gz']))], [], 'sources keep apart');
});

test('prune forgets marks of keys a complete listing no longer found, but not marks newer than the listing', async () => {
  let now = 1_000;
  const dir = tempDir();
  const store = new LocalS3ProgressStore(dir, () => now);
  await store.markDone(ref('kept'));
  await store.markDone(ref('deleted'));
  const listedSince = 2_000;
  now = 3_000;
  await store.markDone(ref('new-during-listing'));
  assert.equal(await store.prune('ct-1', new Set(['kept']), listedSince), 1);
  assert.deepEqual([...(await store.doneEtags('ct-1', ['kept', 'deleted', 'new-during-listing'])).keys()], ['kept', 'new-during-listing']);
  const reopened = new LocalS3ProgressStore(dir);
  assert.deepEqual([...(await reopened.doneEtags('ct-1', ['kept', 'deleted', 'new-during-listing'])).keys()], ['kept', 'new-during-listing']);
});
