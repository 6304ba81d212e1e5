import { CaracalError, describeError, Logger } from '@caracal/core';
import { CONSUMER_DEAD_LETTERS } from './topic-contracts';
import { CaracalMetrics } from '@caracal/core/observability';
import { DEAD_LETTER_HEADERS, DeadLetterFailure, deadLetterMessage, failureCode } from './dead-letter.envelope';
import type { ConsumedMessage, OutgoingMessage } from './message-bus';

/** How a bus sets aside what its consumers cannot handle. */
export interface DeadLetterOptions {
  /** Default CONSUMER_DEAD_LETTERS.name. */
  topic?: string;
  /** Attempts at a batch that fails on a message's content before it is split; default 3. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled for each further one; default 200. */
  retryBackoffMs?: number;
  /** Counts dead letters by group and reason. */
  metrics?: CaracalMetrics;
}

export const DEFAULT_CONSUMER_MAX_ATTEMPTS = 3;
export const DEFAULT_CONSUMER_RETRY_BACKOFF_MS = 200;
const MAX_RETRY_BACKOFF_MS = 30_000;

// The codes that say the input itself is wrong. Other non-retriable errors
// exist that are about the process or a dependency (UNAVAILABLE "the
// detection engine is closed", say): setting messages aside for those would
// empty a partition into the dead-letter topic during a shutdown or an outage.
const CONTENT_CODES: ReadonlySet<string> = new Set(['INVALID_ARGUMENT', 'INVALID_EVENT']);

/**
 * Whether a handler's failure is the message's fault, so that trying it
 * again cannot help: a CaracalError that says it is not retriable and that
 * its input is invalid (a MessageDecodeError, a row the lake refuses).
 * Everything else, an error of any other type included, is taken for a
 * failure of the infrastructure and retried without bound: a message that
 * was acknowledged must never be set aside because the lake was down.
 */
export function isPoisonFailure(err: unknown): boolean {
  return err instanceof CaracalError && !err.retriable && CONTENT_CODES.has(err.code);
}

/** What one consumer does around its handler; the Kafka and local consumers differ only here. */
export interface SliceSteps {
  /** Hands messages of one partition, in order, to the handler. */
  handle(messages: ConsumedMessage[]): Promise<void>;
  /** Before a message is handed alone: records where a replay must cut (stable batches). */
  begin(messages: ConsumedMessage[]): Promise<void>;
  /** After messages were handled or set aside: commits past the last one. */
  commit(messages: ConsumedMessage[]): Promise<void>;
  /** Sets one message aside, with why and after how many attempts. */
  deadLetter(message: ConsumedMessage, error: unknown, attempts: number): Promise<void>;
  /** False once the consumer stops or no longer owns the partition: leave the rest uncommitted. */
  active(): boolean;
  wait(ms: number): Promise<void>;
  /** Told about each failed attempt that will be retried. */
  onRetry(error: unknown, attempt: number): void;
}

export interface RetryPolicy {
  maxAttempts: number;
  retryBackoffMs: number;
}

/**
 * Runs a slice of one partition through the handler and commits it. A
 * failure that is the message's fault is retried up to maxAttempts; then
 * the messages are handed one at a time, each committed after it succeeds,
 * so the one that still fails is found and set aside while the others go
 * through (and those after it are not held up). Any other failure is thrown:
 * the caller redelivers from the last commit, with its own backoff, for as
 * long as it takes. Resolves false when the consumer stopped part way.
 */
export async function runSlice(slice: ConsumedMessage[], steps: SliceSteps, policy: RetryPolicy): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      await steps.handle(slice);
    } catch (err) {
      if (!isPoisonFailure(err)) throw err;
      failure = err;
    }
    if (failure === undefined) {
      await steps.commit(slice);
      return true;
    }
    if (attempt >= policy.maxAttempts) return isolate(slice, steps, failure, attempt);
    steps.onRetry(failure, attempt);
    await steps.wait(Math.min(policy.retryBackoffMs * 2 ** (attempt - 1), MAX_RETRY_BACKOFF_MS));
    if (!steps.active()) return false;
  }
}

async function isolate(slice: ConsumedMessage[], steps: SliceSteps, failure: unknown, attempts: number): Promise<boolean> {
  if (slice.length === 1) {
    await steps.deadLetter(slice[0], failure, attempts);
    await steps.commit(slice);
    return true;
  }
  for (const message of slice) {
    if (!steps.active()) return false;
    const one = [message];
    await steps.begin(one);
    let poison: unknown;
    try {
      await steps.handle(one);
    } catch (err) {
      if (!isPoisonFailure(err)) throw err;
      poison = err;
    }
    if (poison !== undefined) await steps.deadLetter(message, poison, attempts + 1);
    await steps.commit(one);
  }
  return true;
}

/**
 * Publishes the dead letters of one consumer group and counts them. A
 * message of the dead-letter topic itself is not sent back to it (it would
 * come round again for ever): it is logged, counted and passed over.
 */
export class DeadLetterPublisher {
  readonly topic: string;
  readonly policy: RetryPolicy;
  private readonly metrics: CaracalMetrics | undefined;

  constructor(
    private readonly groupId: string,
    options: DeadLetterOptions,
    private readonly publish: (topic: string, messages: OutgoingMessage[]) => Promise<void>,
    private readonly logger: Logger,
  ) {
    this.topic = options.topic ?? CONSUMER_DEAD_LETTERS.name;
    this.policy = {
      maxAttempts: options.maxAttempts ?? DEFAULT_CONSUMER_MAX_ATTEMPTS,
      retryBackoffMs: options.retryBackoffMs ?? DEFAULT_CONSUMER_RETRY_BACKOFF_MS,
    };
    this.metrics = options.metrics;
  }

  async send(message: ConsumedMessage, failure: Omit<DeadLetterFailure, 'groupId' | 'at'>): Promise<void> {
    const reason = failureCode(failure.error);
    const where = { groupId: this.groupId, topic: failure.topic, partition: failure.partition, offset: message.offset, attempts: failure.attempts, reason };
    if (failure.topic === this.topic) {
      this.logger.error({ ...where, error: describeError(failure.error) }, 'a dead letter could not be handled; passed over (it stays on the dead-letter topic)');
    } else {
      const letter = deadLetterMessage(message, { ...failure, groupId: this.groupId, at: new Date() });
      await this.publish(this.topic, [letter]);
      this.logger.error({ ...where, tenantId: letter.headers?.[DEAD_LETTER_HEADERS.tenant], error: describeError(failure.error) }, 'message set aside on the dead-letter topic');
    }
    this.metrics?.consumerDeadLetters.inc({ group: this.groupId, reason });
  }

  logRetry(error: unknown, where: { topic: string; partition: number; attempt: number }): void {
    this.logger.warn({ groupId: this.groupId, ...where, maxAttempts: this.policy.maxAttempts, error: describeError(error) }, 'batch failed on its content; trying again');
  }
}
