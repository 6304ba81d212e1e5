/**
 * Nest injection tokens for what every service shares. They live here, not in
 * a Nest package, so that libraries stay free of the framework.
 */
export const CONFIG = Symbol.for('caracal.config');
export const LOGGER = Symbol.for('caracal.logger');
export const MESSAGE_BUS = Symbol.for('caracal.message-bus');
export const LAKE_CLIENT = Symbol.for('caracal.lake-client');
export const CONTROL_STORE = Symbol.for('caracal.control-store');
/** The process's CaracalMetrics (one registry per process, not prom-client's global one). */
export const METRICS = Symbol.for('caracal.metrics');
/** The process's ReadinessRegistry, behind /readyz. */
export const READINESS = Symbol.for('caracal.readiness');
