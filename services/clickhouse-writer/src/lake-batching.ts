import type { ConsumerSubscription } from '@caracal/bus';
import type { CaracalConfig } from '@caracal/core';

/**
 * How every lake writer batches: an insert writes a new part and, for
 * events, runs a lookup of row ids already written, and both cost about as
 * much for 50 rows as for 2,000. A writer that keeps up would otherwise
 * insert whatever arrived since its last insert (one ingest request's
 * worth), so its batches wait a moment to fill.
 */
export function lakeBatching(config: CaracalConfig): Pick<ConsumerSubscription, 'maxBatchMessages' | 'batchFill'> {
  return {
    maxBatchMessages: config.batch.lakeMaxRows,
    batchFill: { minBytes: config.batch.lakeFillBytes, maxWaitMs: config.batch.lakeWaitMs },
  };
}
