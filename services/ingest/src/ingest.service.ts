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
    const normalize = NORMALIZERS[source.logType];
    if (!normalize) throw new CaracalError('INTERNAL', `source "${source.id}" has log type ${source.logType}, which this ingest cannot parse`);
    const { records, lineErrors } = splitRecords(body);
    const rejected: RejectedEvent[] = lineErrors.map((e) => ({ index: e.index, problems: [{ field: '(line)', problem: e.problem }] }));
    const badLines = new Set(lineErrors.map((e) => e.index));
    const ctx: NormalizeContext = { tenantId: source.tenantId, sourceId: source.id, sourceLabel: source.label, parseTime: new Date() };
    const events: NormalizedEvent[] = [];
    records.forEach((raw, index) => {
      if (badLines.has(index)) return;
      const result = normalize(raw, ctx);
      if (result.ok) events.push(result.event);
      else rejected.push({ index, problems: result.problems });
    });
    rejected.sort((a, b) => a.index - b.index);
    if (events.length > 0) {
      const producer = await this.connectedProducer();
      await producer.send(
        Topics.logs(source.logType),
        events.map((e) => ({ key: e.p_tenant_id, value: JSON.stringify(e) })),
      );
    }
    return { accepted: events.length, rejected };
  }
}
