import { after, before, test } from 'node:test';
import { RULES_WORKER_GROUP } from '@caracal/rules-worker';
import { killMidStream } from '../support/fault-checks';
import { FaultScenario, LOG_TOPIC, TOTAL_EVENTS } from '../support/fault-scenario';
import { kafkaBrokers } from '../support/test-env';

// kill -9 of one of two rules-workers while it evaluates, a new one started
// in its place; half of the events are still to come.
const scenario = new FaultScenario('fault-rw', kafkaBrokers());

before(() => scenario.start());
after(async () => {
  await scenario.stop();
  scenario.removeFiles();
});

test('kill -9 of a rules-worker mid-stream: every acknowledged event in the lake once, alert counts exact', (t) =>
  killMidStream(t, scenario, {
    role: 'rules-worker',
    group: RULES_WORKER_GROUP,
    topics: [LOG_TOPIC],
    killAfterCommitted: TOTAL_EVENTS * 0.3,
    progress: '30% of the events',
  }));
