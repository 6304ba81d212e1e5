import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadContent } from '../content-loader';
import { contentPayload } from '../content-payload';
import type { ContentSet } from '../content.types';
import { InMemoryKvStore } from '../kv/in-memory-kv-store';
import { tenantContent } from '../tenant-content';
import { fixtureDir, normalizedEvent } from '../test-support';
import { DetectionProcessPool, PoolContent, ReplacementReason } from './detection-process-pool';

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
let pool: DetectionProcessPool;
const replacedFor: ReplacementReason[] = [];

before(async () => {
  const base = await loadContent(fixtureDir('engine'));
  const deleted = { tenantId: 't', ruleId: 'Fixture.Match', version: 1, updatedAtMs: 0, updatedBy: 'token:test (t1)' };
  pack = new CountedContent('pack', base);
  withoutMatch = new CountedContent('without-match', tenantContent(base, [deleted]).content);
  pool = new DetectionProcessPool({
    maxProcesses: 2,
    limits: { detectionTimeoutMs: 15_000, memoryLimitMb: 1024 },
    kvStore,
    killGraceMs: 5_000,
    sandbox: { kind: 'bwrap' },
    onReplaced: (reason) => replacedFor.push(reason),
  });
});

after(async () => {
  await pool.close();
  await kvStore.close();
});

/** The rules that matched an event that only Fixture.Match matches, as the tenant's interpreter saw it. */
async function matched(tenantId: string, content: CountedContent): Promise<string[]> {
  const event = normalizedEvent('Fixture.Log', tenantId, { action: 'match', actor: { name: 'homer' } });
  const result = await pool.run(tenantId, 0, { kind: 'evaluate', tenantId, content, events: Buffer.from(JSON.stringify([event])), units: 1 });
  return (JSON.parse(result.body.toString('utf8')) as { kind: string; ruleId: string }[]).filter((o) => o.kind === 'match').map((o) => o.ruleId);
}

test('each tenant gets a process of its own, reused until its content changes or room is needed', async () => {
  assert.deepEqual(await matched('t1', pack), ['Fixture.Match']);
  assert.deepEqual(await matched('t2', pack), ['Fixture.Match']);
  assert.deepEqual(await matched('t1', pack), ['Fixture.Match']);
  assert.equal(pool.started, 2, 'one process per tenant, the second request of t1 reuses its process');
  assert.equal(pack.sent, 2, 'each process is built from the payload it was sent, never from another tenant\'s');

  assert.deepEqual(await matched('t1', withoutMatch), [], "t1's process is replaced for its new content");
  assert.equal(pool.started, 3);
  assert.deepEqual(await matched('t2', pack), ['Fixture.Match'], 't2 keeps its own');

  // Two processes at most: t3 stops the least recently used idle one (t1).
  assert.deepEqual(await matched('t3', withoutMatch), []);
  assert.equal(pool.processes, 2);
  assert.deepEqual(await matched('t2', pack), ['Fixture.Match'], 't2 was more recent than t1 and kept its process');
  assert.equal(pool.started, 4);
  assert.deepEqual(await matched('t1', withoutMatch), []);
  assert.equal(pool.started, 5, 't1 came back to a new process');
  assert.equal(pool.processes, 2);
  // What the replacements metric is labelled with: t1's new content, then room made twice.
  assert.deepEqual(replacedFor, ['content', 'evicted', 'evicted']);
});
