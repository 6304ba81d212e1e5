import { createHash } from 'node:crypto';

/**
 * The first worker of a tenant: stable, so that its interpreter there is
 * reused batch after batch, and spread, so that tenants share the cores.
 */
export function tenantWorkerIndex(tenantId: string, workers: number): number {
  return createHash('sha256').update(tenantId).digest().readUInt32BE(0) % workers;
}
