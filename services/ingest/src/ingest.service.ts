import { Inject, Injectable } from '@nestjs/common';
import type { MessageBus, BusProducer } from '@caracal/bus';
import { CaracalError, CONTROL_STORE, ControlStore, MESSAGE_BUS, NormalizedEvent, SourceRecord, Topics } from '@caracal/core';
import { FieldProblem } from './ingest.errors';
import { normalizePantherAudit, NormalizeContext, NormalizeResult } from './panther-audit.normalizer';
import { splitRecords } from './request-body.reader';

export interface RejectedEvent {
  index: number;
  problems: FieldProblem[];
}

/** Who an event came from; the tenant is always the credentials' tenant. */
export interface IngestOrigin {
  tenantId: string;
  sourceId: string;
  sourceLabel: string;
  logType: string;
}

// Marks a record the body reader already refused, keeping the indexes of the rest.
const SKIPPED = Symbol('skipped');

export interface IngestResult {
  accepted: number;
  rejected: RejectedEvent[];
}

const NORMALIZERS: Record<string, (raw: unknown, ctx: NormalizeContext) => NormalizeResult> = {
  'Panther.Audit': normalizePantherAudit,
};

@Injectable()
export class IngestService {
  private producer: Promise<BusProducer> | undefined;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
  ) {}

  /** One producer per process; a failed connect is not kept, so the next request tries again. */
  private connectedProducer(): Promise<BusProducer> {
    this.producer ??= this.bus.producer().catch((err: unknown) => {
      this.producer = undefined;
      throw err;
    });
    return this.producer;
  }

  authenticate(sourceId: string, headers: Record<string, string | string[] | undefined>): SourceRecord {
    return this.control.authenticateSource(sourceId, headers);
  }

  /**
   * Normalizes every record of a body and publishes the valid ones. Returns
   * only after the bus acknowledged them: the caller's 2xx means durable.
   */
  async ingest(source: SourceRecord, body: string): Promise<IngestResult> {
    const { records, lineErrors } = splitRecords(body);
    const badLines = new Set(lineErrors.map((e) => e.index));
    const result = await this.ingestRecords(
      { tenantId: source.tenantId, sourceId: source.id, sourceLabel: source.label, logType: source.logType },
      records.map((raw, index) => (badLines.has(index) ? SKIPPED : raw)),
    );
    const rejected = [...lineErrors.map((e) => ({ index: e.index, problems: [{ field: '(line)', problem: e.problem }] })), ...result.rejected];
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: result.accepted, rejected };
  }

  /**
   * The path every event takes into Caracal, whether it came over HTTP or
   * Caracal wrote it about itself: normalize, then publish and wait for the
   * bus to acknowledge.
   */
  async ingestRecords(origin: IngestOrigin, records: unknown[]): Promise<IngestResult> {
    const normalize = NORMALIZERS[origin.logType];
    if (!normalize) throw new CaracalError('INTERNAL', `source "${origin.sourceId}" has log type ${origin.logType}, which this ingest cannot parse`);
    const ctx: NormalizeContext = { tenantId: origin.tenantId, sourceId: origin.sourceId, sourceLabel: origin.sourceLabel, parseTime: new Date() };
    const events: NormalizedEvent[] = [];
    const rejected: RejectedEvent[] = [];
    records.forEach((raw, index) => {
      if (raw === SKIPPED) return;
      const result = normalize(raw, ctx);
      if (result.ok) events.push(result.event);
      else rejected.push({ index, problems: result.problems });
    });
    if (events.length > 0) {
      const producer = await this.connectedProducer();
      await producer.send(
        Topics.logs(origin.logType),
        events.map((e) => ({ key: e.p_tenant_id, value: JSON.stringify(e) })),
      );
    }
    return { accepted: events.length, rejected };
  }
}
