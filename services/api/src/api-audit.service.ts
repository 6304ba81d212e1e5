import { isIP } from 'node:net';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { encodeEvent, eventsTopic, type MessageBus, OnDemandProducer, sendEncoded } from '@caracal/bus';
import { CaracalConfig, CaracalError, CONFIG, LOGGER, Logger, MESSAGE_BUS, METRICS, truncateUtf8 } from '@caracal/core';
import { logSchema, LogTypeSchema, normalizeEvent, PantherAuditAction } from '@caracal/core/log-schemas';
import type { CaracalMetrics } from '@caracal/core/observability';
import type { Caller } from './token-auth.service';

/** The source Caracal's own audit events come through, in every tenant. */
export const API_AUDIT_SOURCE = { sourceId: 'caracal-api', sourceLabel: 'Caracal API', logType: 'Panther.Audit' } as const;
// Shipped with core: its absence is a broken build, found when the module loads.
const PANTHER_AUDIT: LogTypeSchema = logSchema(API_AUDIT_SOURCE.logType) ?? missingSchema();

function missingSchema(): never {
  throw new CaracalError('INTERNAL', `no log schema for ${API_AUDIT_SOURCE.logType}`);
}
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
 * Writes every API call as a Panther.Audit event of the caller's tenant. It
 * is normalized by the same normalizer as events sent over HTTP and
 * published through the same topic contract, so the tenant's detections see
 * Caracal's own actions (a detection deleted through the API raises the same
 * alert as one deleted in Panther). The call waits for the bus to
 * acknowledge it: a call that was answered has its audit event.
 */
@Injectable()
export class ApiAuditService {
  private readonly out: OnDemandProducer;
  private readonly topic = eventsTopic(API_AUDIT_SOURCE.logType);

  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(METRICS) private readonly metrics?: CaracalMetrics,
  ) {
    this.out = new OnDemandProducer(bus);
  }

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
    const origin = { tenantId: caller.tenantId, ...API_AUDIT_SOURCE };
    const result = normalizeEvent(PANTHER_AUDIT, event, { ...origin, parseTime: new Date() });
    if (!result.ok) return this.refused(entry, result.problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
    // Made as ingest makes events: lone surrogates repaired, the size bounded.
    const encoded = encodeEvent(this.topic, result.event, this.config.ingest.maxEventBytes);
    if (!encoded.ok) return this.refused(entry, `${encoded.problem.field}: ${encoded.problem.problem}`);
    await this.out.ensureTopic(this.topic);
    await sendEncoded(await this.out.connected(), this.topic, [encoded.message]);
    this.metrics?.countIngestedEvents(origin, 1, 0);
  }

  private refused(entry: ApiAuditEntry, problems: string): never {
    this.logger.error({ method: entry.method, problems }, 'own audit event refused by the normalizer');
    throw new CaracalError('INTERNAL', `the audit event of ${entry.method} was refused: ${problems}`);
  }
}
