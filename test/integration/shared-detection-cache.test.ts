import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DetectionEngine, RedisKvStore, loadContent } from '@caracal/detections';
import { normalizedEvent } from '@caracal/detections/dist/test-support';
import { redisUrl, repoRoot, uniqueName } from '../support/test-env';

// Two engines stand for two rules-worker processes of kafka mode: each has its
// own worker threads and interpreters, and only Redis in common.
let engines: DetectionEngine[] = [];
let reader: RedisKvStore;

before(async () => {
  const content = await loadContent(path.join(repoRoot(), 'packages/detections/test-fixtures/supervision'));
  assert.deepEqual(content.errors, []);
  engines = await Promise.all(
    [0, 1].map(async () =>
      DetectionEngine.create(content, {
        processesPerTenant: 2,
        kvStore: await RedisKvStore.connect(redisUrl(), { connectTimeoutMs: 5_000 }),
        closeKvStore: true,
      }),
    ),
  );
  reader = await RedisKvStore.connect(redisUrl(), { connectTimeoutMs: 5_000 });
});

after(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await reader?.close();
});

test('caching counters of a tenant are shared by every worker thread of every process, and by no other tenant', async () => {
  const tenant = uniqueName('cache-tenant');
  const stranger = uniqueName('cache-stranger');
  const batch = (n: number) => Array.from({ length: n }, () => normalizedEvent('Fixture.Log', tenant, { mode: 'count', key: 'k' }));
  // 600 events split over both threads of the first engine, 300 over the second.
  const [first, second] = await Promise.all([engines[0].evaluate(tenant, batch(600)), engines[1].evaluate(tenant, batch(300))]);
  assert.equal(first.filter((o) => o.kind === 'match').length, 600);
  assert.equal(second.filter((o) => o.kind === 'match').length, 300);
  assert.equal(await reader.execute(tenant, { op: 'get_counter', key: 'seen-k' }), 900);
  assert.equal(await reader.execute(stranger, { op: 'get_counter', key: 'seen-k' }), 0);
});
