import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { EVENT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { assertControlsFail, assertExactlyOnce } from '../support/fault-checks';
import { FaultScenario, LOG_TOPIC, OwnBroker, REQUESTS, TOTAL_EVENTS } from '../support/fault-scenario';
import { tempDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The broker (one of this test's own: the suite's must stay up) stopped while
// every service is mid-stream and ingest is taking events, then started again.
const brokerDir = tempDir('fault-broker');
let broker: OwnBroker;
let scenario: FaultScenario;

before(async () => {
  broker = await OwnBroker.create(brokerDir);
  await broker.run('start', true);
  scenario = new FaultScenario('fault-bk', broker.brokers, {
    CARACAL_INGEST_PUBLISH_TIMEOUT_MS: '3000',
    CARACAL_KAFKA_REQUEST_TIMEOUT_MS: '3000',
  });
  await scenario.start();
});

after(async () => {
  await scenario?.stop();
  scenario?.removeFiles();
  broker?.stopNow();
  fs.rmSync(brokerDir, { recursive: true, force: true });
});

test('broker stopped and restarted mid-stream: every acknowledged event in the lake once, alert counts exact', async (t) => {
  const t0 = Date.now();
  await scenario.send(0, REQUESTS / 2);
  const at = await scenario.waitCommitted('the writer past 30% of the events', EVENT_WRITER_GROUP, [LOG_TOPIC], TOTAL_EVENTS * 0.3, 150_000);
  await broker.run('stop');
  await scenario.offsets.reset();
  const stoppedAt = Date.now();
  t.diagnostic(`broker stopped at ${at} events written, ${((stoppedAt - t0) / 1000).toFixed(1)} s in`);
  // The second half goes out while the broker is down; ingest must turn callers away, not lose their events.
  const sending = scenario.send(REQUESTS / 2, REQUESTS);
  await waitFor('ingest to answer 503', async () => ((scenario.stats.statuses.get('503') ?? 0) >= 4 ? true : undefined), 120_000);
  await broker.run('start');
  t.diagnostic(`broker down for ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
  await sending;
  t.diagnostic(`all sent after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok((scenario.stats.statuses.get('503') ?? 0) >= 4);
  await assertExactlyOnce(t, scenario);
  await assertControlsFail(t, scenario);
  if (scenario.startRetries.length > 0) t.diagnostic(`starts retried: ${JSON.stringify(scenario.startRetries)}`);
  t.diagnostic(`test took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
