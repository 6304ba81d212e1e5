import { TRACEPARENT_HEADER } from '@caracal/core/observability';

/** The headers that carry the trace of the event an output came from, when it had one. */
export function traceHeaders(traceparent: string | undefined): Record<string, string> | undefined {
  return traceparent ? { [TRACEPARENT_HEADER]: traceparent } : undefined;
}
