import { CaracalError } from '@caracal/core';

interface Waiter {
  grant: () => void;
  fail: (err: CaracalError) => void;
}

interface TenantSlots {
  running: number;
  waiting: Waiter[];
}

/** Gives back a slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * At most `maxPerTenant` queries of one tenant at once in this process; the
 * next ones wait their turn, first come first served, for up to
 * `queueTimeoutMs`. One tenant's burst then waits behind itself, not in
 * front of the other tenants.
 */
export class QueryConcurrencyLimiter {
  private readonly tenants = new Map<string, TenantSlots>();

  constructor(
    private readonly maxPerTenant: number,
    private readonly queueTimeoutMs: number,
  ) {}

  async acquire(tenantId: string, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) throw cancelled();
    const slots = this.slots(tenantId);
    if (slots.running < this.maxPerTenant) {
      slots.running++;
      return this.releaser(tenantId, slots);
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = slots.waiting.indexOf(waiter);
        if (i >= 0) slots.waiting.splice(i, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          settle();
          resolve(this.releaser(tenantId, slots));
        },
        fail: (err) => {
          settle();
          this.forgetIfIdle(tenantId, slots);
          reject(err);
        },
      };
      const onAbort = () => waiter.fail(cancelled());
      const timer = setTimeout(
        () =>
          waiter.fail(
            new CaracalError(
              'RESOURCE_EXHAUSTED',
              `too many queries at once: ${this.maxPerTenant} of this tenant's queries are already running and this one waited ${this.queueTimeoutMs} ms for a turn; try again when one has finished`,
              { retriable: true },
            ),
          ),
        this.queueTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      slots.waiting.push(waiter);
    });
  }

  /** Queries of the tenant running now, and waiting. */
  load(tenantId: string): { running: number; waiting: number } {
    const slots = this.tenants.get(tenantId);
    return { running: slots?.running ?? 0, waiting: slots?.waiting.length ?? 0 };
  }

  private slots(tenantId: string): TenantSlots {
    let slots = this.tenants.get(tenantId);
    if (!slots) {
      slots = { running: 0, waiting: [] };
      this.tenants.set(tenantId, slots);
    }
    return slots;
  }

  private releaser(tenantId: string, slots: TenantSlots): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slots.waiting[0];
      // The slot passes straight to the next in line, so a newcomer cannot take it in between.
      if (next) next.grant();
      else {
        slots.running--;
        this.forgetIfIdle(tenantId, slots);
      }
    };
  }

  private forgetIfIdle(tenantId: string, slots: TenantSlots): void {
    if (slots.running === 0 && slots.waiting.length === 0 && this.tenants.get(tenantId) === slots) this.tenants.delete(tenantId);
  }
}

function cancelled(): CaracalError {
  return new CaracalError('CANCELLED', 'the query was cancelled while it waited for a turn');
}
