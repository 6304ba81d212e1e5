import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { CaracalError, LOGGER, Logger, truncateUtf8 } from '@caracal/core';
import { PantherAuditAction } from '@caracal/core/log-schemas';
import { IngestService } from '@caracal/ingest';
import type { Caller } from './token-auth.service';

/** The source Caracal's own audit events come through, in every tenant. */
export const API_AUDIT_SOURCE = { sourceId: 'caracal-api', sourceLabel: 'Caracal API', logType: 'Panther.Audit' } as const;
// The pantherVersion field is required; Caracal writes its own version there.
const CARACAL_VERSION = '0.1.0';
// A request may be megabytes (a query, a comment); the trail keeps enough to
// recognise it, and the event stays far below a Kafka message's size limit.
export const MAX_AUDITED_STRING_BYTES = 4096;

/** The value with every string cut to MAX_AUDITED_STRING_BYTES of UTF-8, saying how large it was. */
export function boundedForAudit(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return truncateUtf8(value, MAX_AUDITED_STRING_BYTES);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => boundedForAudit(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundedForAudit(v, depth + 1)]));
}

export interface ApiAuditEntry {
  caller: Caller;
  action: PantherAuditAction;
  /** The gRPC path of the method served. */
  method: string;
  succeeded: boolean;
  /** What the caller asked for, without secrets; written as actionParams.dynamic.input. */
  input: Record<string, unknown>;
  /** What came of it; written as actionDetails. */
  details: Record<string, unknown>;
  error?: string;
  /** The gRPC peer, e.g. "ipv4:127.0.0.1:50123". */
  peer: string;
  userAgent?: string;
}

/** "ipv4:10.0.0.1:5000" or "ipv6:[::1]:5000" → the address, when it is one. */
export function peerAddress(peer: string): string | undefined {
  const m = /^(?:ipv4:|ipv6:)?\[?([^\]]+?)\]?:\d+$/.exec(peer);
  const ip = m?.[1];
  return ip !== undefined && isIP(ip) !== 0 ? ip : undefined;
}

/**
 * Writes every API call as a Panther.Audit event of the caller's tenant,
 * through the same normalize-and-publish path as events sent over HTTP, so
 * the tenant's detections see Caracal's own actions (a detection deleted
 * through the API raises the same alert as one deleted in Panther).
 */
@Injectable()
export class ApiAuditService {
  constructor(
    private readonly ingest: IngestService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(entry: ApiAuditEntry): Promise<void> {
    const { caller } = entry;
    const sourceIP = peerAddress(entry.peer);
    const event = {
      actionName: entry.action,
      actionResult: entry.succeeded ? 'SUCCEEDED' : 'FAILED',
      actionDescription: entry.method,
      actor: { id: caller.tokenId, type: 'TOKEN', name: caller.tokenName, attributes: { roleName: caller.role } },
      timestamp: new Date().toISOString(),
      pantherVersion: CARACAL_VERSION,
      actionParams: { dynamic: { input: boundedForAudit(entry.input) } },
      actionDetails: boundedForAudit(entry.details),
      errors: entry.error === undefined ? null : [{ message: boundedForAudit(entry.error) }],
      ...(sourceIP === undefined ? {} : { sourceIP }),
      ...(entry.userAgent === undefined ? {} : { userAgent: entry.userAgent }),
    };
    const result = await this.ingest.ingestRecords({ tenantId: caller.tenantId, ...API_AUDIT_SOURCE }, [event]);
    if (result.accepted !== 1) {
      const problems = result.rejected.flatMap((r) => r.problems.map((p) => `${p.field}: ${p.problem}`)).join('; ');
      this.logger.error({ method: entry.method, problems }, 'own audit event refused by the normalizer');
      throw new CaracalError('INTERNAL', `the audit event of ${entry.method} was refused: ${problems}`);
    }
  }
}
