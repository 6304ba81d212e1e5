/**
 * @caracal/core/observability: what a process tells its operator: Prometheus
 * metrics, the checks behind /readyz, and W3C trace context and spans.
 */
export { CaracalMetrics } from './metrics.registry';
export { ReadinessRegistry } from './readiness.registry';
export type { ReadinessCheckResult, ReadinessProbe, ReadinessReport } from './readiness.registry';
export { TRACEPARENT_HEADER, formatTraceparent, parseTraceparent } from './trace-context';
export type { TraceContext } from './trace-context';
export { TRACING, Tracing } from './tracing';
