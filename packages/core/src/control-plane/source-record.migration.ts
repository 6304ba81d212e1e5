import { createHash } from 'node:crypto';
import { SourceRecord } from './source.types';

/** A source as control files written before authentication modes keep it. */
interface LegacySourceRecord {
  id: string;
  tenantId: string;
  label: string;
  logType: string;
  secretHeader: string;
  secretSha256: string;
  createdAt: string;
}

/**
 * A source as this version keeps it, whichever version wrote it. A source
 * from before authentication modes is a shared-secret source with one
 * secret. Every process migrates on its own at each load, so the secret's id
 * comes from the hash, not from chance: all of them show the same id.
 */
export function migrateSourceRecord(raw: SourceRecord | LegacySourceRecord): SourceRecord {
  if ('authMode' in raw && raw.authMode !== undefined) return { ...raw, secrets: raw.secrets ?? [] };
  const legacy = raw as LegacySourceRecord;
  return {
    id: legacy.id,
    tenantId: legacy.tenantId,
    label: legacy.label,
    logType: legacy.logType,
    authMode: 'shared-secret',
    authHeader: legacy.secretHeader,
    secrets: [{ id: createHash('sha256').update(`source-secret-id:${legacy.secretSha256}`).digest('hex').slice(0, 8), sha256: legacy.secretSha256, createdAt: legacy.createdAt }],
    createdAt: legacy.createdAt,
  };
}
