import { CaracalError, describeError, Logger } from '@caracal/core';
import { ReadinessRegistry } from '@caracal/core/observability';

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
  /** What the step is waiting on, for the message of a shutdown that ran out of time. */
  pending?(): string | undefined;
}

/**
 * Readiness fails first (so load balancers stop sending), then the steps run
 * one after the other. Past `timeoutMs` it rejects, naming the step it was in
 * and the ones not begun; a failing step is logged and the rest still run.
 */
export async function shutDown(readiness: ReadinessRegistry, steps: ShutdownStep[], timeoutMs: number, logger: Logger): Promise<void> {
  readiness.markShuttingDown();
  const startedAt = Date.now();
  logger.info({ steps: steps.map((s) => s.name), timeoutMs }, 'shutdown started');
  let current = 0;
  let firstError: unknown;
  const sequence = (async () => {
    for (; current < steps.length; current++) {
      const step = steps[current];
      const stepStarted = Date.now();
      try {
        await step.run();
        logger.debug({ step: step.name, ms: Date.now() - stepStarted }, 'shutdown step done');
      } catch (err) {
        firstError ??= err;
        logger.error({ err, step: step.name }, 'shutdown step failed; going on with the next');
      }
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    if ((await Promise.race([sequence.then(() => 'done' as const), deadline])) === 'timeout') {
      const pending = steps.slice(current).map((s, i) => {
        const detail = i === 0 ? s.pending?.() : 'not begun';
        return detail ? `${s.name} (${detail})` : s.name;
      });
      logger.error({ pending, timeoutMs }, 'shutdown did not finish in time');
      throw new CaracalError('DEADLINE_EXCEEDED', `shutdown did not finish within ${timeoutMs} ms; still pending: ${pending.join(', ')}`);
    }
  } finally {
    clearTimeout(timer);
  }
  if (firstError !== undefined) {
    throw new CaracalError('INTERNAL', `shutdown finished with errors: ${describeError(firstError)}`, { cause: firstError });
  }
  logger.info({ ms: Date.now() - startedAt }, 'shutdown complete');
}
