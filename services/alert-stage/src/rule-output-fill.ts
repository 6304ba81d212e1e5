import type { BatchFill } from '@caracal/bus';
import type { CaracalConfig } from '@caracal/core';

// Far more than rule outputs arrive in the wait: the wait is what ends a batch.
const FILL_BYTES = 4 * 1024 * 1024;

/** How the alert stage's consumers let a batch fill: for CARACAL_BATCH_TIMEOUT_MS (see config.batch.batchTimeoutMs). */
export function ruleOutputFill(config: CaracalConfig): BatchFill {
  return { minBytes: FILL_BYTES, maxWaitMs: config.batch.batchTimeoutMs };
}
