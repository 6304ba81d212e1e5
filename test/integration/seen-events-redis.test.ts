import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { CaracalError } from '@caracal/core';
import { RedisSeenEventsStore, redisSeenEventKey, seenEventKey } from '@caracal/rules-worker';
import { redisUrl, uniqueName } from '../support/test-env';

// Two stores stand for two rules-worker processes: the copies of one event
// may sit in partitions that different workers read, with only Redis in common.
const WINDOW_SECONDS = 600;
// Like an install's topic prefix: this run's claims meet no other run's.
const NAMESPACE = uniqueName('seen');
const stores: RedisSeenEventsStore[] = [];
const inspector = createClient({ url: redisUrl() });

before(async () => {
  for (let i = 0; i < 2; i++) stores.push(await RedisSeenEventsStore.connect(redisUrl(), { windowSeconds: WINDOW_SECONDS, namespace: NAMESPACE, connectTimeoutMs: 5_000 }));
  await inspector.connect();
});

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await inspector.close();
});

test('two workers agree: first position wins, its replay passes, a copy elsewhere is refused; keys carry the window as TTL', async () => {
  const tenant = uniqueName('seen-tenant');
  const [first, second] = stores;
  const a = seenEventKey(tenant, 'row-a');
  const b = seenEventKey(tenant, 'row-b');

  assert.deepEqual(await first.claim([{ key: a, position: 'logs:0:10' }, { key: b, position: 'logs:0:11' }]), [true, true]);
  assert.deepEqual(await second.claim([{ key: a, position: 'logs:2:40' }]), [false], 'the copy read by the other worker');
  assert.deepEqual(await second.claim([{ key: a, position: 'logs:0:10' }, { key: b, position: 'logs:0:11' }]), [true, true], 'the batch replayed on the other worker after a crash');
  assert.deepEqual(
    await first.claim([{ key: seenEventKey(tenant, 'row-c'), position: 'logs:1:5' }, { key: seenEventKey(tenant, 'row-c'), position: 'logs:1:6' }]),
    [true, false],
    'within one batch the first copy wins',
  );
  assert.deepEqual(await first.claim([{ key: seenEventKey(`${tenant}-other`, 'row-a'), position: 'logs:2:40' }]), [true], 'the same row id of another tenant');

  assert.equal(await inspector.get(redisSeenEventKey(NAMESPACE, a)), 'logs:0:10', 'the position that claimed it first, unchanged by the refused copy');
  const ttl = await inspector.ttl(redisSeenEventKey(NAMESPACE, a));
  assert.ok(ttl > WINDOW_SECONDS - 30 && ttl <= WINDOW_SECONDS, `TTL ${ttl} s, expected about ${WINDOW_SECONDS}`);
});

test("installs sharing one Redis (other topic prefixes) do not see each other's claims", async () => {
  const other = await RedisSeenEventsStore.connect(redisUrl(), { windowSeconds: WINDOW_SECONDS, namespace: `${NAMESPACE}other-` });
  try {
    const key = seenEventKey(uniqueName('seen-tenant'), 'row-a');
    assert.deepEqual(await stores[0].claim([{ key, position: 'logs:0:1' }]), [true]);
    assert.deepEqual(await other.claim([{ key, position: 'logs:0:9' }]), [true]);
  } finally {
    await other.close();
  }
});

test('a claim that Redis cannot answer fails retriably, never answers as if new', async () => {
  const store = await RedisSeenEventsStore.connect(redisUrl(), { windowSeconds: WINDOW_SECONDS });
  await store.close();
  await assert.rejects(store.claim([{ key: seenEventKey(uniqueName('t'), 'r'), position: 'logs:0:1' }]), (err: unknown) => CaracalError.isRetriable(err));
  await assert.rejects(
    RedisSeenEventsStore.connect('redis://127.0.0.1:1', { windowSeconds: WINDOW_SECONDS, connectTimeoutMs: 1_000 }),
    (err: unknown) => CaracalError.isRetriable(err),
  );
});

test('cost: one pipelined round trip claims 1,000 events', async () => {
  const tenant = uniqueName('seen-cost');
  const claims = Array.from({ length: 1_000 }, (_, i) => ({ key: seenEventKey(tenant, `row-${i}`), position: `logs:0:${i}` }));
  const started = process.hrtime.bigint();
  const answers = await stores[0].claim(claims);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(answers.filter(Boolean).length, 1_000);
  const again = process.hrtime.bigint();
  assert.equal((await stores[1].claim(claims.map((c) => ({ ...c, position: `logs:1:${c.position}` })))).filter(Boolean).length, 0);
  const msAgain = Number(process.hrtime.bigint() - again) / 1e6;
  const bytes = await inspector.memoryUsage(redisSeenEventKey(NAMESPACE, claims[0].key));
  console.log(`claim() of 1,000 new events: ${ms.toFixed(1)} ms; 1,000 duplicates: ${msAgain.toFixed(1)} ms; MEMORY USAGE of one key: ${bytes} bytes`);
});
