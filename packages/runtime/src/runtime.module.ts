import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import type { MessageBus } from '@caracal/bus';
import { CaracalConfig, CONFIG, CONTROL_STORE, LAKE_CLIENT, Logger, LOGGER, MESSAGE_BUS, METRICS, READINESS } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalMetrics, ReadinessRegistry, Tracing, TRACING } from '@caracal/core/observability';
import type { LakeClient } from '@caracal/lake';

export interface Runtime {
  config: CaracalConfig;
  logger: Logger;
  bus: MessageBus;
  control: ControlStore;
  /** This process's metrics: a registry of its own, not prom-client's global one. */
  metrics: CaracalMetrics;
  /** The checks behind this process's /readyz; services set theirs. */
  readiness: ReadinessRegistry;
  /** Spans of this process; records nothing unless an OTLP endpoint is configured. */
  tracing: Tracing;
  /** Created only in processes that run a service needing it; the schema is applied before it is handed out. */
  lake?: LakeClient;
}

/** Hands every service module what it shares with the others: one bus, one lake client, one config per process. */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const providers: Provider[] = [
      { provide: CONFIG, useValue: runtime.config },
      { provide: LOGGER, useValue: runtime.logger },
      { provide: MESSAGE_BUS, useValue: runtime.bus },
      { provide: CONTROL_STORE, useValue: runtime.control },
      { provide: METRICS, useValue: runtime.metrics },
      { provide: READINESS, useValue: runtime.readiness },
      { provide: TRACING, useValue: runtime.tracing },
    ];
    if (runtime.lake) providers.push({ provide: LAKE_CLIENT, useValue: runtime.lake });
    return { module: RuntimeModule, providers, exports: providers.map((p) => (p as { provide: symbol }).provide) };
  }
}
