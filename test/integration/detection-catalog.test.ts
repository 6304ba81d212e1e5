import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { BusProducer, createMessageBus, MessageBus, Topics } from '@caracal/bus';
import { createLogger, loadConfig } from '@caracal/core';
import { NormalizedEvent, RuleMatch, TenantDetectionRecord, tenantDetectionKey, toClickHouseTime } from '@caracal/core/messages';
import { ContentSet, DetectionEngine, loadContent } from '@caracal/detections';
import { DetectionCatalogService, InMemorySeenEventsStore, RulesConsumerService } from '@caracal/rules-worker';
import { repoRoot, tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The catalog of tenant detections over the local bus: caught up before the
// rules consumer takes its first batch, following changes after, and rebuilt
// from the topic alone after a restart.
const logger = createLogger('warn', 'detection-catalog-test');
const dataDir = tempDir('detection-catalog');
const config = loadConfig({
  CARACAL_DATA_DIR: dataDir,
  CARACAL_RULES_DIR: path.join(repoRoot(), 'test', 'fixtures', 'alert-lifecycle-rules'),
  CARACAL_LOG_LEVEL: 'warn',
});
const closers: (() => Promise<void>)[] = [];

after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

const PUT_YAML = `AnalysisType: rule
RuleID: Catalog.Put
Filename: catalog_put.py
Enabled: true
LogTypes: [Panther.Audit]
Severity: High
DedupPeriodMinutes: 30
`;
const PUT_PY = 'def rule(event):\n    return event.get("actionName") == "CATALOG"\n\n\ndef title(event):\n    return "catalog put"\n';
const BURST = 'Lifecycle.User.Created.Burst';

function record(tenantId: string, ruleId: string, version: number, files?: { yaml: string; python: string }): TenantDetectionRecord {
  return { tenantId, ruleId, ...(files ? { files } : {}), version, updatedAtMs: Date.now(), updatedBy: 'token:test (t1)' };
}

async function publish(producer: BusProducer, ...records: TenantDetectionRecord[]): Promise<void> {
  await producer.send(
    Topics.detections,
    records.map((r) => ({ key: tenantDetectionKey(r.tenantId, r.ruleId), value: JSON.stringify(r) })),
  );
}

let row = 0;
function auditEvent(tenantId: string, actionName: string): NormalizedEvent {
  row += 1;
  const now = toClickHouseTime(new Date());
  return {
    p_log_type: 'Panther.Audit',
    p_tenant_id: tenantId,
    p_row_id: `catalog-row-${row}`,
    p_event_time: now,
    p_parse_time: now,
    p_source_id: 's',
    p_source_label: 's',
    p_schema_version: 0,
    p_any_ip_addresses: [],
    p_any_usernames: [],
    p_any_emails: [],
    p_any_trace_ids: [],
    p_any_actor_ids: [],
    actionName,
    actor: { id: 'a1', name: 'a1' },
  };
}

interface Worker {
  bus: MessageBus;
  engine: DetectionEngine;
  catalog: DetectionCatalogService;
  base: ContentSet;
  /** What stopping the process would do; the data directory stays. */
  stop(): Promise<void>;
}

/** What a rules-worker process holds, on the data directory's bus. */
async function startWorker(): Promise<Worker> {
  const bus = createMessageBus(config, logger);
  const base = await loadContent(config.rulesDir);
  const engine = await DetectionEngine.create(base, { processesPerTenant: 1 });
  const catalog = new DetectionCatalogService(bus, engine, base, logger);
  const stops: (() => Promise<void>)[] = [() => catalog.onApplicationShutdown(), () => engine.close(), () => bus.close()];
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= (async () => {
    for (const s of stops) await s();
  })());
  closers.push(stop);
  return { bus, engine, catalog, base, stop };
}

const ruleIds = (w: Worker, tenantId: string) => w.engine.rulesFor(tenantId).map((r) => r.ruleId);

test('a restarted worker evaluates its first batch with the tenant detections already applied', async () => {
  const worker = await startWorker();
  const producer = await worker.bus.producer();
  // Everything is on the bus before the worker starts: its first batch must see all of it.
  await publish(
    producer,
    record('acme', 'Catalog.Put', 2, { yaml: PUT_YAML, python: PUT_PY }),
    record('acme', 'Catalog.Put', 1, { yaml: PUT_YAML.replace('Severity: High', 'Severity: Low'), python: PUT_PY }),
    record('acme', BURST, 1),
    record('acme', 'Catalog.Broken', 1, { yaml: PUT_YAML.replace('RuleID: Catalog.Put', 'RuleID: Catalog.Broken') + 'Sevrity: x\n', python: PUT_PY }),
  );
  await producer.send(Topics.detections, [{ key: 'acme|Garbage', value: 'not json' }]);
  await worker.bus.ensureTopics([Topics.logs('Panther.Audit')]);
  await producer.send(Topics.logs('Panther.Audit'), [
    { key: 'acme', value: JSON.stringify(auditEvent('acme', 'CATALOG')) },
    { key: 'globex', value: JSON.stringify(auditEvent('globex', 'CATALOG')) },
  ]);

  const consumer = new RulesConsumerService(worker.bus, worker.engine, worker.catalog, new InMemorySeenEventsStore(config.dedup.windowSeconds), config, logger);
  // Not the catalog's own hook: the consumer must wait for it by itself.
  await consumer.onApplicationBootstrap();

  const matches: RuleMatch[] = [];
  const reader = worker.bus.reader(Topics.ruleMatches);
  await reader.run((_partition, messages) => {
    for (const m of messages) matches.push(JSON.parse(m.value.toString('utf8')) as RuleMatch);
  });
  const match = await waitFor('the tenant detection to match', async () => matches.find((m) => m.rule.ruleId === 'Catalog.Put'));
  assert.equal(match.tenantId, 'acme');
  assert.equal(match.title, 'catalog put');
  assert.deepEqual([match.rule.ruleSeverity, match.rule.dedupPeriodMinutes], ['HIGH', 30], "the highest version's settings");
  assert.ok(!matches.some((m) => m.tenantId === 'globex'), 'another tenant runs the pack alone');

  assert.ok(ruleIds(worker, 'acme').includes('Catalog.Put'));
  assert.ok(!ruleIds(worker, 'acme').includes(BURST), 'the pack rule deleted for acme');
  assert.ok(!ruleIds(worker, 'acme').includes('Catalog.Broken'), 'a record that does not parse is left out');
  assert.ok(ruleIds(worker, 'globex').includes(BURST));
  assert.deepEqual(ruleIds(worker, 'globex'), worker.base.rules.map((r) => r.ruleId));
  await reader.stop();
  await consumer.onApplicationShutdown();
  await worker.stop();
});

test('changes are followed while running and survive a restart', async () => {
  const running = await startWorker();
  await running.catalog.start();
  assert.ok(ruleIds(running, 'acme').includes('Catalog.Put'));
  const producer = await running.bus.producer();
  await publish(producer, record('acme', 'Catalog.Put', 3), record('acme', BURST, 2, { yaml: PUT_YAML.replace('Catalog.Put', BURST), python: PUT_PY }));
  await waitFor('the delete to reach the engine', async () => (ruleIds(running, 'acme').includes('Catalog.Put') ? undefined : true));
  await waitFor('the pack rule replaced for acme', async () => (running.engine.rulesFor('acme').find((r) => r.ruleId === BURST)?.severity === 'HIGH' ? true : undefined));
  const outcomes = await running.engine.evaluate('acme', [auditEvent('acme', 'CATALOG'), auditEvent('acme', 'CREATE_USER')]);
  assert.deepEqual(outcomes.map((o) => [o.ruleId, o.eventIndex]), [[BURST, 0]], "acme's Burst is now its own rule, which matches CATALOG");
  // An older version arriving late changes nothing.
  await publish(producer, record('acme', 'Catalog.Put', 2, { yaml: PUT_YAML, python: PUT_PY }));
  const before = ruleIds(running, 'acme');
  assert.ok(!before.includes('Catalog.Put'));
  await running.stop();
  const restarted = await startWorker();
  await restarted.catalog.start();
  assert.deepEqual(ruleIds(restarted, 'acme'), before);
  assert.deepEqual(
    restarted.catalog.recordsOf('acme').map((r) => [r.ruleId, r.version, r.files !== undefined]).sort(),
    [
      ['Catalog.Broken', 1, true],
      ['Catalog.Put', 3, false],
      [BURST, 2, true],
    ],
  );
});
