import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { RedisScheduledRunLedger } from '@caracal/scheduler';
import { redisUrl, uniqueName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// Two ledgers stand for two scheduler replicas with only Redis in common.
const NAMESPACE = uniqueName('sched');
const replicas: RedisScheduledRunLedger[] = [];
const inspector = createClient({ url: redisUrl() });

before(async () => {
  for (let i = 0; i < 2; i++) replicas.push(await RedisScheduledRunLedger.connect(redisUrl(), { namespace: NAMESPACE, connectTimeoutMs: 5_000 }));
  await inspector.connect();
});

after(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await inspector.close();
});

test('of replicas claiming one tick at once exactly one gets it; done stays done for its keep time', async () => {
  const [a, b] = replicas;
  const t = { tenantId: uniqueName('tenant'), queryName: 'Hourly Logins', tick: new Date('2026-12-06T17:00:00Z') };
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim(t, `owner-${i}`, 60_000)));
  assert.equal(answers.filter((x) => x === 'claimed').length, 1, JSON.stringify(answers));
  assert.equal(answers.filter((x) => x === 'running').length, 19);
  const lease = await inspector.pTTL(a.keyOf(t));
  assert.ok(lease > 0 && lease <= 60_000, `the claim carries its lease (${lease} ms)`);

  await a.markDone(t, 3_600_000);
  assert.equal(await b.claim(t, 'late', 60_000), 'done');
  const keep = await inspector.pTTL(a.keyOf(t));
  assert.ok(keep > 60_000 && keep <= 3_600_000, `the mark carries its keep time (${keep} ms)`);
});

test('a claim whose owner died is taken again when its lease ends; a release frees it at once, only by its owner', async () => {
  const [a, b] = replicas;
  const t = { tenantId: uniqueName('tenant'), queryName: 'q', tick: new Date('2026-12-06T18:00:00Z') };
  assert.equal(await a.claim(t, 'dies', 300), 'claimed');
  assert.equal(await b.claim(t, 'waits', 60_000), 'running');
  await waitFor('the dead owner\'s lease to end', async () => ((await b.claim(t, 'waits', 60_000)) === 'claimed' ? true : undefined), 10_000);

  await a.release(t, 'dies');
  assert.equal(await a.claim(t, 'other', 60_000), 'running', 'the old owner cannot release the new claim');
  await b.release(t, 'waits');
  assert.equal(await a.claim(t, 'other', 60_000), 'claimed');
});

test('the first replica to schedule a query fixes when it was first scheduled', async () => {
  const [a, b] = replicas;
  const tenant = uniqueName('tenant');
  const first = new Date('2026-12-06T16:42:00Z');
  assert.deepEqual(await a.scheduledSince(tenant, 'q', first), first);
  assert.deepEqual(await b.scheduledSince(tenant, 'q', new Date('2026-12-06T19:00:00Z')), first);
  assert.deepEqual(await b.scheduledSince(`${tenant}-other`, 'q', new Date('2026-12-06T19:00:00Z')), new Date('2026-12-06T19:00:00Z'));
});
