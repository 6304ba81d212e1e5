import { InvalidArgumentError } from '@caracal/core';
import { TenantDetectionRecord, tenantDetectionKey, tenantDetectionRecordProblem } from '@caracal/core/messages';

/**
 * The latest record of every key of the detections topic, by tenant: what
 * every reader of that topic (rules-workers, the API) folds it into.
 */
export class TenantDetectionLedger {
  private readonly byKey = new Map<string, TenantDetectionRecord>();
  private readonly byTenant = new Map<string, Map<string, TenantDetectionRecord>>();

  /**
   * Applies one message of the topic; returns the tenant whose records
   * changed, if any. A message that is not a record throws, naming why.
   */
  take(key: string | null, value: Buffer): string | undefined {
    if (value.length === 0) {
      // A tombstone: compaction's way of emptying a key, as if it had never been written.
      const dropped = key === null ? undefined : this.byKey.get(key);
      if (key === null || !dropped) return undefined;
      this.byKey.delete(key);
      this.byTenant.get(dropped.tenantId)?.delete(key);
      return dropped.tenantId;
    }
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    const problem = tenantDetectionRecordProblem(parsed, key);
    if (problem !== undefined) throw new InvalidArgumentError(`not a tenant detection record: ${problem}`);
    return this.put(parsed as TenantDetectionRecord);
  }

  /** Keeps a record unless a newer version of its key is already here; returns its tenant when kept. */
  put(record: TenantDetectionRecord): string | undefined {
    const key = tenantDetectionKey(record.tenantId, record.ruleId);
    const current = this.byKey.get(key);
    // A replayed or reordered older version never undoes a newer one.
    if (current && current.version >= record.version) return undefined;
    this.byKey.set(key, record);
    const tenant = this.byTenant.get(record.tenantId) ?? new Map<string, TenantDetectionRecord>();
    tenant.set(key, record);
    this.byTenant.set(record.tenantId, tenant);
    return record.tenantId;
  }

  get(tenantId: string, ruleId: string): TenantDetectionRecord | undefined {
    return this.byKey.get(tenantDetectionKey(tenantId, ruleId));
  }

  /** The latest records of one tenant, deletions included. */
  recordsOf(tenantId: string): TenantDetectionRecord[] {
    return [...(this.byTenant.get(tenantId)?.values() ?? [])];
  }

  get tenants(): number {
    return this.byTenant.size;
  }

  get size(): number {
    return this.byKey.size;
  }
}
