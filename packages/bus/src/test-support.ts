import { readDeadLetter, type DeadLetter } from './dead-letter.envelope';
import type { LocalBus } from './local-bus';
import type { ConsumedMessage } from './message-bus';
import { CONSUMER_DEAD_LETTERS } from './topic-contracts';

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. Tests wait on conditions, never on sleeps. */
export function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
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

/** The first `count` messages of the consumer dead-letter topic, read back. */
export async function deadLetters(bus: LocalBus, count: number): Promise<DeadLetter[]> {
  const got: ConsumedMessage[] = [];
  const reader = bus.reader(CONSUMER_DEAD_LETTERS.name);
  await reader.run((_p, messages) => got.push(...messages));
  await until(() => got.length >= count);
  await reader.stop();
  return got.map(readDeadLetter);
}
