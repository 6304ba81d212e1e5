import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalBus, Topics } from '@caracal/bus';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { IngestRejection, NormalizedEvent } from '@caracal/core/messages';
import { CaracalMetrics } from '@caracal/core/observability';
import { IngestService } from './ingest.service';

const logger = createLogger('silent');

function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Every string of a parsed JSON value, keys included, is well-formed. */
function allWellFormed(value: unknown): boolean {
  if (typeof value === 'string') return isWellFormed(value);
  if (Array.isArray(value)) return value.every(allWellFormed);
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([k, v]) => isWellFormed(k) && allWellFormed(v));
  return true;
}

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-ingest-'));
  const config = loadConfig({ CARACAL_DATA_DIR: dir }, dir);
  const control = ControlStore.open(config.controlFile);
  control.createTenant('acme');
  const source = control.createSource({ id: 'acme-audit', tenantId: 'acme', logType: 'Panther.Audit' }).source;
  const bus = new LocalBus({ logger });
  const metrics = new CaracalMetrics({ defaultMetrics: false });
  const service = new IngestService(bus, control, config, metrics);
  /** The values published to a topic so far, as text. */
  const published = (topic: string) => {
    const log = bus.topic(topic);
    return log.read(0, log.end).map((m) => m.message.value.toString('utf8'));
  };
  return { service, source, bus, metrics, published };
}

const audit = (over: Record<string, unknown> = {}) => ({
  actionName: 'DELETE_DETECTION',
  actionResult: 'SUCCEEDED',
  actor: { id: 'u-1', type: 'USER', name: 'homer' },
  pantherVersion: '1.0',
  timestamp: '2024-01-31T12:00:00Z',
  ...over,
});

test('an event with lone surrogates in values and keys is kept, repaired to U+FFFD, and counted', async () => {
  const { service, source, bus, metrics, published } = await setup();
  // Exactly what a JSON body with the escape "\ud800" parses into.
  const body = JSON.stringify([audit({ actionName: 'DELETE\\ud800X', actionParams: { '\\udc00key': ['ok', 'half \\ud83d'] } }), audit()]).replace(/\\\\u/g, '\\u');
  assert.ok(body.includes('"DELETE\\ud800X"'), 'the body carries the JSON escape itself');
  const result = await service.ingest(source, body, 'req-1');
  assert.deepEqual(result, { accepted: 2, rejected: [] });

  const [repaired, plain] = published(Topics.logs('Panther.Audit'));
  assert.ok(allWellFormed(JSON.parse(repaired)), 'no lone surrogate left for the lake to refuse');
  const event = JSON.parse(repaired) as NormalizedEvent & { actionParams: Record<string, unknown> };
  assert.equal(event.actionName, 'DELETE\ufffdX');
  assert.deepEqual(event.actionParams, { '\ufffdkey': ['ok', 'half \ufffd'] });
  assert.equal(event.p_any_usernames[0], 'homer');
  assert.notEqual(event.p_row_id, (JSON.parse(plain) as NormalizedEvent).p_row_id);
  assert.match(await metrics.exposition(), /caracal_ingest_repaired_events_total\{tenant="acme",source="acme-audit",log_type="Panther.Audit"\} 1/);
  await bus.close();
});

test('two events that differ only in their lone surrogate keep their own row ids', async () => {
  const { service, source, bus, published } = await setup();
  await service.ingestRecords({ tenantId: 'acme', sourceId: source.id, sourceLabel: source.label, logType: 'Panther.Audit' }, [audit({ actionName: 'a\ud800' }), audit({ actionName: 'a\ud801' })]);
  const ids = published(Topics.logs('Panther.Audit')).map((v) => (JSON.parse(v) as NormalizedEvent).p_row_id);
  assert.equal(new Set(ids).size, 2);
  await bus.close();
});

test('a rejection whose problem quotes the input cut inside a surrogate pair is still well-formed', async () => {
  const { service, source, bus, published } = await setup();
  // The problem quotes the value cut to 100 characters; the cut falls between the halves of an emoji.
  const record = audit({ actionResult: `a${'😀'.repeat(60)}` });
  const result = await service.ingestRecords({ tenantId: 'acme', sourceId: source.id, sourceLabel: source.label, logType: 'Panther.Audit' }, [record, audit({ actor: { ['\ud800']: 1 } })]);
  assert.equal(result.accepted, 0);
  const rejections = published(Topics.deadLetter);
  assert.equal(rejections.length, 2);
  for (const text of rejections) assert.ok(allWellFormed(JSON.parse(text)), `well-formed: ${text.slice(0, 300)}`);
  assert.match((JSON.parse(rejections[0]) as IngestRejection).problems[0].problem, /must be one of SUCCEEDED, FAILED, PARTIALLY_FAILED; got "a(😀)+\ufffd\.\.\./u, "the half pair became U+FFFD");
  await bus.close();
});

test('a pull source takes no HTTP requests; what it reads is published with its origin in each rejection', async () => {
  const { service, bus, published } = await setup();
  const control = (service as unknown as { control: ControlStore }).control;
  const { source } = control.createSource({
    idPrefix: 'trail',
    tenantId: 'acme',
    logType: 'Panther.Audit',
    transport: 's3',
    s3: { bucket: 'acme-trail', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
  });
  assert.throws(() => service.findSource(source.id), (err: Error) => (err as { code?: string }).code === 'PERMISSION_DENIED' && /is read by Caracal from s3 and takes no HTTP requests/.test(err.message));
  const where = 's3://acme-trail/AWSLogs/1.json';
  const result = await service.ingestPulled(source, [
    { requestId: where, index: 0, text: JSON.stringify(audit()), value: audit() },
    { requestId: where, index: 1, text: '{"actor":1}', value: { actor: 1 } },
    { requestId: 's3://acme-trail/bad.gz', index: -1, text: 'H4sI', encoding: 'base64', problem: { field: '(object)', problem: 'not valid gzip' } },
  ]);
  assert.equal(result.accepted, 1);
  assert.deepEqual(
    result.rejected.map((r) => r.index),
    [1, -1],
  );
  const rejections = published(Topics.deadLetter).map((v) => JSON.parse(v) as IngestRejection);
  assert.deepEqual(
    rejections.map((r) => [r.request_id, r.event_index, r.raw_encoding, r.p_source_id]),
    [
      [where, 1, 'utf8', source.id],
      ['s3://acme-trail/bad.gz', -1, 'base64', source.id],
    ],
  );
  const [event] = published(Topics.logs('Panther.Audit')).map((v) => JSON.parse(v) as NormalizedEvent);
  assert.equal(event.p_source_id, source.id);
  await bus.close();
});
