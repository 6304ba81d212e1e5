import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalBus, Topics } from '@caracal/bus';
import { createLogger, loadConfig } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { AlertDeliveryRecord, AlertRecord } from '@caracal/core/messages';
import { ALERT_DELIVERY_GROUP, AlertDeliveryService } from './alert-delivery.service';
import { fixtureAlert } from './destinations/alert.fixture';

const logger = createLogger('silent');

function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

test('each alert is delivered once, when it reaches its threshold, and every delivery is recorded', async (t) => {
  const received: { deliveryId: string; alertId: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push({ deliveryId: String(req.headers['x-caracal-delivery-id']), alertId: body.alert.id });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-delivery-'));
  const control = ControlStore.open(path.join(dir, 'control.json'));
  control.createTenant('acme');
  control.createTenant('globex');
  control.createDestination({ id: 'soc-hook', tenantId: 'acme', type: 'webhook', url });
  control.createDestination({ id: 'globex-hook', tenantId: 'globex', type: 'webhook', url });
  const config = loadConfig({ CARACAL_DATA_DIR: dir, CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS: 'true', CARACAL_ALERT_DELIVERY_BACKOFF_MS: '5' }, dir);

  const bus = new LocalBus({ logger });
  const service = new AlertDeliveryService(bus, config, logger, control);
  await service.onApplicationBootstrap();
  t.after(async () => {
    await service.onApplicationShutdown();
    await bus.close();
  });
  const records: { key: string | null; record: AlertDeliveryRecord }[] = [];
  await bus.consumer({ groupId: 'test-deliveries', topics: [Topics.alertDeliveries] }).run(async (batch) => {
    for (const m of batch.messages) records.push({ key: m.key, record: JSON.parse(m.value.toString('utf8')) });
  });

  const producer = await bus.producer();
  const publish = (alerts: AlertRecord[]) =>
    producer.send(
      Topics.alerts,
      alerts.map((a) => ({ key: a.dedupKey, value: JSON.stringify(a) })),
    );
  const below = fixtureAlert({ alertId: 'alert-a', version: 1, thresholdReachedVersion: null, thresholdReachedAt: null });
  const reached = fixtureAlert({ alertId: 'alert-a', version: 2, thresholdReachedVersion: 2 });
  const later = fixtureAlert({ alertId: 'alert-a', version: 3, thresholdReachedVersion: 2, eventCount: 9 });
  const named = fixtureAlert({ alertId: 'alert-b', dedupKey: 'b', outputIds: ['soc-hook', 'pager'] });
  const suppressed = fixtureAlert({ alertId: 'alert-c', dedupKey: 'c', destinationOverride: [] });
  await publish([below, reached, later, named, suppressed]);
  await until(() => records.length >= 3);

  // The alert stage republishing a record after a crash must not deliver it again.
  await publish([reached, fixtureAlert({ alertId: 'alert-d', dedupKey: 'd' })]);
  await until(() => records.some((r) => r.record.alertId === 'alert-d'));

  const summary = records.map((r) => [r.key, r.record.destinationId, r.record.outcome, r.record.error]);
  assert.deepEqual(summary, [
    ['alert-a', 'soc-hook', 'DELIVERED', ''],
    ['alert-b', 'soc-hook', 'DELIVERED', ''],
    ['alert-b', 'pager', 'FAILED', 'no destination "pager" for tenant acme'],
    ['alert-d', 'soc-hook', 'DELIVERED', ''],
  ]);
  // Alerts of one batch are delivered side by side, so they may arrive in any order.
  assert.deepEqual(
    received.map((r) => r.deliveryId).sort(),
    ['alert-a:soc-hook', 'alert-b:soc-hook', 'alert-d:soc-hook'],
  );
});

test('a record of the alerts topic that is not an alert is set aside with its reason; the alerts behind it are delivered', async (t) => {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(String(req.headers['x-caracal-delivery-id']));
    req.resume().on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-delivery-'));
  const control = ControlStore.open(path.join(dir, 'control.json'));
  control.createTenant('acme');
  control.createDestination({ id: 'soc-hook', tenantId: 'acme', type: 'webhook', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in` });
  const config = loadConfig({ CARACAL_DATA_DIR: dir, CARACAL_ALERT_ALLOW_PRIVATE_DESTINATIONS: 'true', CARACAL_ALERT_DELIVERY_BACKOFF_MS: '5' }, dir);
  const bus = new LocalBus({ logger, deadLetters: { maxAttempts: 2, retryBackoffMs: 1 } });
  const service = new AlertDeliveryService(bus, config, logger, control);
  await service.onApplicationBootstrap();
  t.after(async () => {
    await service.onApplicationShutdown();
    await bus.close();
  });

  const broken = { ...fixtureAlert({ alertId: 'alert-broken', dedupKey: 'x' }), severity: 'SEVERE' };
  await (await bus.producer()).send(Topics.alerts, [
    { key: 'x', value: JSON.stringify(broken) },
    { key: 'y', value: JSON.stringify(fixtureAlert({ alertId: 'alert-after', dedupKey: 'y' })) },
  ]);
  await until(() => received.length === 1);
  const dlq = bus.topic(Topics.consumerDeadLetters);
  await until(() => dlq.end === 1);
  const [letter] = dlq.read(0, 1).map((m) => m.message);
  assert.deepEqual(received, ['alert-after:soc-hook']);
  assert.equal(letter.value.toString(), JSON.stringify(broken), 'the record as it was');
  assert.equal(letter.headers?.['caracal-dlq-group'], ALERT_DELIVERY_GROUP);
  assert.equal(letter.headers?.['caracal-dlq-tenant'], 'acme');
  assert.match(letter.headers?.['caracal-dlq-error'] ?? '', /not a valid alert record: severity must be one of INFO/);
});
