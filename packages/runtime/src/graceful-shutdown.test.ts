import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@caracal/core';
import { ReadinessRegistry } from '@caracal/core/observability';
import { shutDown, ShutdownStep } from './graceful-shutdown';

const logger = createLogger('silent');

test('readiness fails before the first step, and the steps run in order', async () => {
  const readiness = new ReadinessRegistry();
  const seen: string[] = [];
  const step = (name: string): ShutdownStep => ({
    name,
    run: async () => {
      seen.push(`${name}:${readiness.shuttingDown ? 'not-ready' : 'ready'}`);
    },
  });
  await shutDown(readiness, [step('ingest'), step('services'), step('ops')], 5_000, logger);
  assert.deepEqual(seen, ['ingest:not-ready', 'services:not-ready', 'ops:not-ready']);
});

test('past the timeout it rejects, naming the step it is in with what it waits on, and the steps not begun', async () => {
  const readiness = new ReadinessRegistry();
  let ran = false;
  const steps: ShutdownStep[] = [
    { name: 'ingest requests', run: async () => undefined },
    { name: 'services', run: () => new Promise<void>(() => undefined), pending: () => 'consumers finishing their batch: g1 (t1)' },
    { name: 'ops endpoint', run: async () => void (ran = true) },
  ];
  await assert.rejects(
    shutDown(readiness, steps, 50, logger),
    (err: Error & { code?: string }) =>
      err.code === 'DEADLINE_EXCEEDED' &&
      err.message === 'shutdown did not finish within 50 ms; still pending: services (consumers finishing their batch: g1 (t1)), ops endpoint (not begun)',
  );
  assert.equal(ran, false);
});

test('a failing step is reported, and the later steps still run', async () => {
  const readiness = new ReadinessRegistry();
  let opsClosed = false;
  const steps: ShutdownStep[] = [
    { name: 'bus', run: async () => Promise.reject(new Error('broker went away')) },
    { name: 'ops endpoint', run: async () => void (opsClosed = true) },
  ];
  await assert.rejects(shutDown(readiness, steps, 5_000, logger), /shutdown finished with errors: .*broker went away/);
  assert.equal(opsClosed, true);
});
