import { Attributes, context as otelContext, Link, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, TraceFlags, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { CaracalConfig } from '../kernel/config';
import { childTraceContext, TraceContext } from './trace-context';

export const TRACING = Symbol('TRACING');

// A batch of a thousand events may come from a thousand requests; links past
// this many make a span too large to export for little gain.
const MAX_LINKS = 64;

export interface StartSpanOptions {
  /** The context this span continues (a request's incoming traceparent). */
  parent?: TraceContext;
  /** Contexts this span works on without being their child (the messages of a consumed batch). */
  links?: TraceContext[];
  attributes?: Attributes;
  kind?: 'server' | 'consumer' | 'producer' | 'internal';
}

export interface SpanHandle {
  /** This span's place in the trace: what goes on the messages it publishes, and into the logs. */
  readonly context: TraceContext;
  setAttributes(attributes: Attributes): void;
  fail(err: unknown): void;
  end(): void;
}

const KINDS = { server: SpanKind.SERVER, consumer: SpanKind.CONSUMER, producer: SpanKind.PRODUCER, internal: SpanKind.INTERNAL };

function otelSpanContext(ctx: TraceContext) {
  return { traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true };
}

/**
 * Spans of one process. Off by default: without an OTLP endpoint nothing is
 * recorded or exported, and a span is only a new span id in the caller's
 * trace. Each `startCaracal` has its own provider rather than the global one,
 * so several instances in one process (tests) do not share exporters.
 */
export class Tracing {
  private constructor(
    private readonly tracer: Tracer | undefined,
    private readonly provider: BasicTracerProvider | undefined,
  ) {}

  static create(config: CaracalConfig, serviceName: string): Tracing {
    if (!config.tracing.otlpTracesUrl) return new Tracing(undefined, undefined);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': 'caracal' }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.tracing.sampleRatio) }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracing.otlpTracesUrl }))],
    });
    return new Tracing(provider.getTracer('caracal'), provider);
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  startSpan(name: string, options: StartSpanOptions = {}): SpanHandle {
    if (!this.tracer) return new UnrecordedSpan(childTraceContext(options.parent));
    const parent = options.parent ? trace.setSpanContext(ROOT_CONTEXT, otelSpanContext(options.parent)) : ROOT_CONTEXT;
    const links: Link[] = [];
    const seen = new Set<string>();
    for (const l of options.links ?? []) {
      if (links.length >= MAX_LINKS) break;
      if (seen.has(l.spanId)) continue;
      seen.add(l.spanId);
      links.push({ context: otelSpanContext(l) });
    }
    const span = this.tracer.startSpan(name, { kind: KINDS[options.kind ?? 'internal'], links, attributes: options.attributes }, parent);
    return new RecordedSpan(span);
  }

  /** Runs fn with the span as the active one, for libraries that read the active context. */
  withSpan<T>(span: SpanHandle, fn: () => T): T {
    if (!(span instanceof RecordedSpan)) return fn();
    return otelContext.with(trace.setSpan(otelContext.active(), span.span), fn);
  }

  /** Exports what is buffered; part of a graceful stop. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}

class UnrecordedSpan implements SpanHandle {
  constructor(readonly context: TraceContext) {}
  setAttributes(): void {}
  fail(): void {}
  end(): void {}
}

class RecordedSpan implements SpanHandle {
  readonly context: TraceContext;

  constructor(readonly span: Span) {
    const sc = span.spanContext();
    this.context = { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  fail(err: unknown): void {
    this.span.recordException(err instanceof Error ? err : String(err));
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  }

  end(): void {
    this.span.end();
  }
}
