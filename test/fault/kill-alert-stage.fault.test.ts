import { after, before, test } from 'node:test';
import { Topics } from '@caracal/bus';
import { ALERT_STAGE_GROUP } from '@caracal/alert-stage';
import { killMidStream } from '../support/fault-checks';
import { FaultScenario } from '../support/fault-scenario';
import { kafkaBrokers } from '../support/test-env';

// kill -9 of the alert stage while it counts matches, a new one started in
// its place (it rebuilds its state from the alerts topic); half of the events
// are still to come.
const scenario = new FaultScenario('fault-as', kafkaBrokers());

before(() => scenario.start());
after(async () => {
  await scenario.stop();
  scenario.removeFiles();
});

test('kill -9 of the alert stage mid-stream: every acknowledged event in the lake once, alert counts exact', (t) =>
  killMidStream(t, scenario, {
    role: 'alert-stage',
    group: ALERT_STAGE_GROUP,
    topics: [Topics.ruleMatches],
    killAfterCommitted: scenario.expectedMatches * 0.3,
    progress: '30% of the matches',
  }));
