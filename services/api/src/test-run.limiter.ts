import { CaracalError } from '@caracal/core';

/** Gives back a slot; calling it again does nothing. */
export type ReleaseTestRun = () => void;

/**
 * At most `perTenant` detection test runs of one tenant, and `total` of all
 * tenants, at once in this process. A run over either limit is refused at
 * once rather than queued: each run's memory is its own Python interpreters,
 * and a queue would hold every waiting request (events included) in memory
 * too, which is what the limit is there to bound.
 */
export class TestRunLimiter {
  private readonly running = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perTenant: number,
    private readonly maxTotal: number,
  ) {}

  acquire(tenantId: string): ReleaseTestRun {
    const mine = this.running.get(tenantId) ?? 0;
    if (mine >= this.perTenant) {
      throw new CaracalError(
        'RESOURCE_EXHAUSTED',
        `too many detection test runs at once: ${mine} of this tenant's are running, its limit (CARACAL_QUERY_TEST_RUNS_PER_TENANT); try again when one has finished`,
        { retriable: true },
      );
    }
    if (this.total >= this.maxTotal) {
      throw new CaracalError(
        'RESOURCE_EXHAUSTED',
        `too many detection test runs at once: the server runs ${this.total}, its limit for all tenants (CARACAL_QUERY_TEST_RUNS_TOTAL); try again in a moment`,
        { retriable: true },
      );
    }
    this.running.set(tenantId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.running.get(tenantId) ?? 1) - 1;
      if (left === 0) this.running.delete(tenantId);
      else this.running.set(tenantId, left);
    };
  }

  /** Runs now, of the tenant and in all. */
  load(tenantId: string): { tenant: number; total: number } {
    return { tenant: this.running.get(tenantId) ?? 0, total: this.total };
  }
}
