/**
 * @caracal/runtime: a Caracal process. It decides which services run
 * (service-catalog), assembles them into one Nest application over one bus,
 * lake and control store (caracal-app, runtime.module), serves the ops
 * endpoint (/livez, /readyz, /statusz, /metrics) and shuts down in order. The CLI and
 * the tests start services through it.
 */
export { startCaracal } from './caracal-app';
export type { RunningCaracal } from './caracal-app';
export { PIPELINE_STAGES } from './pipeline-stages';
export type { PipelineStage } from './pipeline-stages';
export type { ProcessStatusReport } from './process-status';
export { RuntimeModule } from './runtime.module';
export type { Runtime } from './runtime.module';
export { checkLakePlacement, needsLake, parseServiceNames, SERVICE_ALIASES, SERVICE_MODULES, SERVICE_NAMES } from './service-catalog';
export type { ServiceName } from './service-catalog';
