import { CaracalError } from '@caracal/core';
import { IngestUnavailableError } from './ingest.errors';

export interface PublishGateOptions {
  maxInFlightBytes: number;
  publishTimeoutMs: number;
  retryAfterSeconds: number;
}

/**
 * Back-pressure between HTTP and the bus. Bytes waiting for an acknowledgment
 * are counted until the bus settles them (even after the caller got its 503),
 * so a slow or absent broker fills a fixed budget instead of the heap; past
 * the budget, or past the timeout, the caller is told to come back later.
 */
export class PublishGate {
  private inFlightBytes = 0;

  constructor(private readonly options: PublishGateOptions) {}

  get waitingBytes(): number {
    return this.inFlightBytes;
  }

  async run(bytes: number, publish: () => Promise<void>): Promise<void> {
    const { maxInFlightBytes, publishTimeoutMs, retryAfterSeconds } = this.options;
    // One request larger than the whole budget still passes alone, or it could never be sent.
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > maxInFlightBytes) {
      throw new IngestUnavailableError(
        `ingest is waiting for the bus to acknowledge ${this.inFlightBytes} bytes already; retry after ${retryAfterSeconds} s`,
        retryAfterSeconds,
      );
    }
    this.inFlightBytes += bytes;
    const settled = publish().finally(() => {
      this.inFlightBytes -= bytes;
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), publishTimeoutMs);
    });
    try {
      const outcome = await Promise.race([settled.then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') {
        // Still counted until it settles; its late failure is no one's to report.
        settled.catch(() => undefined);
        throw new IngestUnavailableError(`the bus did not acknowledge the events within ${publishTimeoutMs} ms; retry after ${retryAfterSeconds} s`, retryAfterSeconds);
      }
    } catch (err) {
      if (err instanceof IngestUnavailableError) throw err;
      if (CaracalError.isRetriable(err)) {
        throw new IngestUnavailableError(`the bus did not take the events (${(err as Error).message}); retry after ${retryAfterSeconds} s`, retryAfterSeconds, {
          cause: err,
        });
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
