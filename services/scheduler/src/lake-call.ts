import { CaracalError, UnavailableError } from '@caracal/core';

/**
 * Runs a call to the lake; a failure that is not already one of ours becomes
 * a retriable UNAVAILABLE error naming `what`, so that the scheduler gives its
 * tick back and tries again rather than recording a run that never happened.
 */
export async function lakeCall<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CaracalError) throw err;
    throw new UnavailableError(`could not ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
