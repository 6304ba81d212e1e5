import { after, before, test } from 'node:test';
import { EVENT_WRITER_GROUP } from '@caracal/clickhouse-writer';
import { killMidStream } from '../support/fault-checks';
import { FaultScenario, LOG_TOPIC, TOTAL_EVENTS } from '../support/fault-scenario';
import { kafkaBrokers } from '../support/test-env';

// kill -9 of the writer (with query: one chDB process, docs/decisions/0002)
// while it inserts, a new one started on the same lake; half of the events
// are still to come.
const scenario = new FaultScenario('fault-wr', kafkaBrokers());

before(() => scenario.start());
after(async () => {
  await scenario.stop();
  scenario.removeFiles();
});

test('kill -9 of the clickhouse-writer mid-stream: every acknowledged event in the lake once, alert counts exact', (t) =>
  killMidStream(t, scenario, {
    role: 'clickhouse-writer,query',
    group: EVENT_WRITER_GROUP,
    topics: [LOG_TOPIC],
    killAfterCommitted: TOTAL_EVENTS * 0.3,
    progress: '30% of the events',
  }));
