import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { encodeEvent, encodeMessage, eventsTopic, INGEST_REJECTIONS, type MessageBus, OnDemandProducer, type OutgoingMessage, sendEncoded } from '@caracal/bus';
import { CaracalError, CONFIG, CaracalConfig, CONTROL_STORE, MESSAGE_BUS, METRICS, repairLoneSurrogates } from '@caracal/core';
import { ControlStore, isPullSource, SourceRecord, sourceTransport } from '@caracal/core/control-plane';
import { logSchema, normalizeEvent, NormalizeContext, NormalizeResult } from '@caracal/core/log-schemas';
import { IngestRejection, NormalizedEvent, toClickHouseTime } from '@caracal/core/messages';
import { CaracalMetrics, formatTraceparent, TRACEPARENT_HEADER, TraceContext } from '@caracal/core/observability';
import { FieldProblem, MalformedBodyError, PullSourceRequestError, RateLimitedError } from './ingest.errors';
import { PublishGate } from './publish.gate';
import { splitRecords } from './request-body.reader';
import { SourceRateLimiter } from './source-rate.limiter';

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

export interface IngestResult {
  accepted: number;
  rejected: RejectedEvent[];
}

/** One record to ingest: its value and the text it came as, or why it could not be read at all. */
interface PendingRecord {
  value?: unknown;
  text?: string;
  problem?: FieldProblem;
  /** A pulled record's own: where it came from (its object or message) and its place there. */
  requestId?: string;
  index?: number;
  /** How `text` carries the raw input; base64 for bytes that are not UTF-8. Default utf8. */
  encoding?: IngestRejection['raw_encoding'];
}

/**
 * A record that a pull source read (from an S3 object, a Kafka message):
 * its text as read and either its value or why it is not an event.
 * `requestId` names where it came from (`s3://bucket/key`,
 * `kafka://topic/partition/offset`) and `index` its place there, -1 for an
 * object or message refused as a whole; both are kept with a rejection.
 */
export interface PulledRecord {
  requestId: string;
  index: number;
  text: string;
  value?: unknown;
  problem?: FieldProblem;
  encoding?: IngestRejection['raw_encoding'];
}

/** The normalizer of a log type, by its schema in the core registry; undefined for a log type that has none. */
function normalizerFor(logType: string): ((raw: unknown, ctx: NormalizeContext) => NormalizeResult) | undefined {
  const schema = logSchema(logType);
  return schema && ((raw, ctx) => normalizeEvent(schema, raw, ctx));
}

function originOf(source: SourceRecord): IngestOrigin {
  return { tenantId: source.tenantId, sourceId: source.id, sourceLabel: source.label, logType: source.logType };
}

/** JSON text of a value that may be too deep to serialise; a rejection must still be recorded. */
function textOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch (err) {
    return `(not serialisable: ${(err as Error).message})`;
  }
}

@Injectable()
export class IngestService {
  // Topics are made on first use, so an ingest that starts while Kafka is down still starts (and answers 503).
  private readonly out: OnDemandProducer;
  private readonly gate: PublishGate;
  private readonly limiter = new SourceRateLimiter();

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
    @Inject(CONFIG) private readonly config: CaracalConfig,
    @Inject(METRICS) private readonly metrics: CaracalMetrics,
  ) {
    this.gate = new PublishGate(config.ingest);
    this.out = new OnDemandProducer(bus);
  }

  /** The source of an HTTP request; a pull source (s3, kafka) takes none. */
  findSource(sourceId: string): SourceRecord {
    const source = this.control.findSource(sourceId);
    // Refused before any credentials are looked at: a pull source has no HTTP secret.
    if (isPullSource(source)) throw new PullSourceRequestError(source.id, sourceTransport(source));
    return source;
  }

  /** The source, when the request carries its credentials (for an HMAC source, over `rawBody`). */
  authenticate(source: SourceRecord, headers: Record<string, string | string[] | undefined>, rawBody?: Buffer): SourceRecord {
    return this.control.verifySource(source, headers, rawBody);
  }

  /** Takes one request of the source's rate; over it, the caller is told when to come back. */
  admit(source: SourceRecord): void {
    const rate = source.rateLimitPerSecond ?? this.config.ingest.defaultRateLimitPerSecond;
    const waitSeconds = this.limiter.take(source.id, rate);
    if (waitSeconds > 0) throw new RateLimitedError(source.id, rate, waitSeconds);
  }

  /**
   * Normalizes every record of a body and publishes the valid ones, and the
   * refused ones to the dead-letter topic. Returns only after the bus
   * acknowledged both: the caller's 2xx means durable.
   */
  async ingest(source: SourceRecord, body: string, requestId: string, trace?: TraceContext): Promise<IngestResult> {
    let records: ReturnType<typeof splitRecords>;
    try {
      records = splitRecords(body);
    } catch (err) {
      if (err instanceof MalformedBodyError) await this.rejectBody(source, body, err.message, requestId);
      throw err;
    }
    return this.publish(
      originOf(source),
      records.map((r) => (r.problem === undefined ? { value: r.value, text: r.text } : { text: r.text, problem: { field: '(line)', problem: r.problem } })),
      requestId,
      trace,
    );
  }

  /**
   * Records already parsed (not a request body): normalize, then publish and
   * wait for the bus to acknowledge, as for a body.
   */
  ingestRecords(origin: IngestOrigin, records: unknown[], requestId: string = randomUUID()): Promise<IngestResult> {
    return this.publish(origin, records.map((value) => ({ value })), requestId);
  }

  /**
   * What a pull source read, through the same normalizer, topics and
   * rejections as an HTTP body. Resolves once the bus acknowledged every
   * event and rejection; rejects with a retriable error when it did not, and
   * the caller reads the same records again (their row ids are the same).
   */
  ingestPulled(source: SourceRecord, records: PulledRecord[]): Promise<IngestResult> {
    return this.publish(
      originOf(source),
      records.map((r) => ({ value: r.value, text: r.text, problem: r.problem, requestId: r.requestId, index: r.index, encoding: r.encoding })),
      '',
    );
  }

  /** A body refused as a whole (not JSON, not gzip, too large) still reaches the dead-letter topic, for the tenant to see why. */
  async rejectBody(source: SourceRecord, raw: Buffer | string, problem: string, requestId: string): Promise<void> {
    const text = typeof raw === 'string' ? raw : undefined;
    const rejection = this.rejection(originOf(source), requestId, -1, text ?? raw.toString('base64'), text === undefined ? 'base64' : 'utf8', [
      { field: '(body)', problem },
    ]);
    const message = encodeMessage(INGEST_REJECTIONS, rejection);
    await this.gate.run(Buffer.byteLength(message.value), async () => {
      await this.out.ensureTopic(INGEST_REJECTIONS);
      await sendEncoded(await this.out.connected(), INGEST_REJECTIONS, [message]);
    });
  }

  private async publish(origin: IngestOrigin, records: PendingRecord[], requestId: string, trace?: TraceContext): Promise<IngestResult> {
    // Every message of the request carries its trace, so consumers can log it and link their spans to it.
    const headers = trace ? { [TRACEPARENT_HEADER]: formatTraceparent(trace) } : undefined;
    const normalize = normalizerFor(origin.logType);
    if (!normalize) throw new CaracalError('INTERNAL', `source "${origin.sourceId}" has log type ${origin.logType}, which this ingest cannot parse`);
    const ctx: NormalizeContext = { tenantId: origin.tenantId, sourceId: origin.sourceId, sourceLabel: origin.sourceLabel, parseTime: new Date() };
    const maxEventBytes = this.config.ingest.maxEventBytes;
    const contract = eventsTopic(origin.logType);
    const events: OutgoingMessage[] = [];
    let repairedEvents = 0;
    const rejections: OutgoingMessage[] = [];
    const rejected: RejectedEvent[] = [];
    const reject = (position: number, record: PendingRecord, problems: FieldProblem[]) => {
      const index = record.index ?? position;
      rejected.push({ index, problems });
      const rejection = this.rejection(origin, record.requestId ?? requestId, index, record.text ?? textOf(record.value), record.encoding ?? 'utf8', problems);
      rejections.push(encodeMessage(INGEST_REJECTIONS, rejection, headers));
    };
    records.forEach((record, index) => {
      if (record.problem) return reject(index, record, [record.problem]);
      const result = normalize(record.value, ctx);
      if (!result.ok) return reject(index, record, result.problems);
      // Lone surrogates repaired, the size bounded: see encodeEvent.
      const encoded = encodeEvent(contract, result.event, maxEventBytes, headers);
      if (!encoded.ok) return reject(index, record, [encoded.problem]);
      if (encoded.repaired) repairedEvents++;
      events.push(encoded.message);
    });
    const bytes = [...events, ...rejections].reduce((n, m) => n + Buffer.byteLength(m.value), 0);
    if (bytes > 0) {
      await this.gate.run(bytes, async () => {
        await Promise.all([this.out.ensureTopic(contract), this.out.ensureTopic(INGEST_REJECTIONS)]);
        const producer = await this.out.connected();
        await Promise.all([sendEncoded(producer, contract, events), sendEncoded(producer, INGEST_REJECTIONS, rejections)]);
      });
    }
    // Only once the bus acknowledged: a request answered 503 kept nothing, so counts nothing.
    this.metrics.countIngestedEvents(origin, events.length, rejected.length);
    if (repairedEvents > 0) this.metrics.ingestRepairedEvents.inc({ tenant: origin.tenantId, source: origin.sourceId, log_type: origin.logType }, repairedEvents);
    return { accepted: events.length, rejected };
  }

  private rejection(
    origin: IngestOrigin,
    requestId: string,
    index: number,
    raw: string,
    encoding: IngestRejection['raw_encoding'],
    problems: FieldProblem[],
  ): IngestRejection {
    const max = this.config.ingest.maxEventBytes;
    const truncated = Buffer.byteLength(raw) > max;
    // Problems quote the input, cut to a length that can fall inside a surrogate pair, and a
    // lone surrogate anywhere in the rejection would stop its writer for every tenant.
    return repairLoneSurrogates<IngestRejection>({
      p_tenant_id: origin.tenantId,
      p_row_id: createHash('sha256').update(`${origin.tenantId}\n${origin.sourceId}\n${raw}`).digest('hex').slice(0, 32),
      p_parse_time: toClickHouseTime(new Date()),
      p_source_id: origin.sourceId,
      p_source_label: origin.sourceLabel,
      p_log_type: origin.logType,
      request_id: requestId,
      event_index: index,
      raw: truncated ? Buffer.from(raw).subarray(0, max).toString('utf8') : raw,
      raw_encoding: encoding,
      raw_truncated: truncated,
      problems: problems.map((p) => ({ field: p.field.slice(0, 1000), problem: p.problem.slice(0, 4000) })),
    }).value;
  }
}
