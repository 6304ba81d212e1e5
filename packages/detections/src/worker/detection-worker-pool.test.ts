import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadContent } from '../content-loader';
import { contentPayload } from '../content-payload';
import type { ContentSet } from '../content.types';
import { InMemoryKvStore } from '../kv/in-memory-kv-store';
import { tenantContent } from '../tenant-content';
import { fixtureDir, normalizedEvent } from '../test-support';
import { DetectionWorkerPool, PoolContent } from './detection-worker-pool';

/** Content whose payload is counted each time the pool builds it to send. */
class CountedContent implements PoolContent {
  sent = 0;
  constructor(
    readonly key: string,
    private readonly content: ContentSet,
  ) {}

  payload(): string {
    this.sent += 1;
    return contentPayload(this.content);
  }
}

let pack: CountedContent;
let withoutMatch: CountedContent;
const kvStore = new InMemoryKvStore();
let pool: DetectionWorkerPool;

before(async () => {
  const base = await loadContent(fixtureDir('engine'));
  const deleted = { tenantId: 't', ruleId: 'Fixture.Match', version: 1, updatedAtMs: 0, updatedBy: 'token:test (t1)' };
  pack = new CountedContent('pack', base);
  withoutMatch = new CountedContent('without-match', tenantContent(base, [deleted]).content);
  pool = new DetectionWorkerPool({
    threads: 1,
    limits: { detectionTimeoutMs: 15_000, memoryLimitMb: 1024, interpretersPerWorker: 2 },
    kvStore,
    killGraceMs: 5_000,
  });
});

after(async () => {
  await pool.close();
  await kvStore.close();
});

/** The rules that matched an event that only Fixture.Match matches, as the tenant's interpreter saw it. */
async function matched(tenantId: string, content: CountedContent): Promise<string[]> {
  const event = normalizedEvent('Fixture.Log', tenantId, { action: 'match', actor: { name: 'homer' } });
  const result = await pool.run(0, { kind: 'evaluate', tenantId, content, eventsJson: JSON.stringify([event]) });
  return (JSON.parse(result.json) as { kind: string; ruleId: string }[]).filter((o) => o.kind === 'match').map((o) => o.ruleId);
}

test('a payload crosses to a worker only when no interpreter there was built from it', async () => {
  assert.deepEqual(await matched('t1', pack), ['Fixture.Match']);
  assert.deepEqual(await matched('t2', pack), ['Fixture.Match']);
  assert.deepEqual(await matched('t1', pack), ['Fixture.Match']);
  assert.equal(pack.sent, 1, 'the second tenant on the same content is built from the payload the worker holds');

  assert.deepEqual(await matched('t1', withoutMatch), [], "t1's interpreter is rebuilt from its new content");
  assert.equal(withoutMatch.sent, 1);
  assert.deepEqual(await matched('t2', pack), ['Fixture.Match'], 't2 keeps its own');

  // Two interpreters per worker: t3 evicts the least recently used (t1), yet is built from t1's payload.
  assert.deepEqual(await matched('t3', withoutMatch), []);
  assert.equal(withoutMatch.sent, 1);
  // t1 comes back and evicts t2, the last holder of the pack: the pack must be sent again for t2.
  assert.deepEqual(await matched('t1', withoutMatch), []);
  assert.deepEqual(await matched('t2', pack), ['Fixture.Match']);
  assert.deepEqual([pack.sent, withoutMatch.sent], [2, 1]);
});
