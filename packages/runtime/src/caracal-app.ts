import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createMessageBus } from '@caracal/bus';
import { CaracalConfig, createLogger, Logger, RecentErrors, recentErrorsOf } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { CaracalMetrics, ReadinessRegistry, Tracing } from '@caracal/core/observability';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { GrpcServerService } from '@caracal/api-service';
import { shutDown, ShutdownStep } from './graceful-shutdown';
import { HttpDrain } from './http-drain';
import { ObservedMessageBus } from './observed-message-bus';
import { OpsServer } from './ops-server';
import { registerRuntimeChecks } from './runtime-readiness';
import { RuntimeModule } from './runtime.module';
import { checkLakePlacement, needsLake, SERVICE_MODULES, ServiceName } from './service-catalog';

export interface RunningCaracal {
  services: ServiceName[];
  /** Bound ports; 0 when the service is not in this process. */
  httpPort: number;
  grpcPort: number;
  /** The ops endpoint (/livez, /readyz, /metrics); every process has one. */
  opsPort: number;
  logger: Logger;
  /**
   * Stops gracefully, in order: readiness fails; ingest stops taking
   * connections and answers what it received; consumers finish and commit
   * their batch; producers flush; the lake closes; the ops endpoint goes last.
   * Rejects, naming what was still pending, when that takes longer than
   * `config.ops.shutdownTimeoutMs`.
   */
  close(): Promise<void>;
}

/**
 * Runs the named services in this process. Embedded mode runs all five over
 * the local bus; kafka mode runs any subset over the broker. The service code
 * is the same either way: only the bus and lake adapters differ.
 */
export async function startCaracal(config: CaracalConfig, services: ServiceName[], logger = createLogger(config.logLevel)): Promise<RunningCaracal> {
  checkLakePlacement(config, services);
  const identity = { pid: process.pid, mode: config.mode, services, startedAt: new Date().toISOString() };
  // A logger not made by createLogger keeps no errors; /statusz then lists none.
  const recentErrors = recentErrorsOf(logger) ?? new RecentErrors();
  const metrics = new CaracalMetrics();
  const readiness = new ReadinessRegistry();
  const tracing = Tracing.create(config, `caracal-${services.join('+')}`);
  const bus = new ObservedMessageBus(createMessageBus(config, logger, metrics), metrics);
  const lake: LakeClient | undefined = needsLake(services) ? createLakeClient(config) : undefined;
  let ops: OpsServer | undefined;
  let started = false;
  registerRuntimeChecks(readiness, { bus, lake, runsRulesWorker: services.includes('rules-worker'), runsIngest: services.includes('ingest'), started: () => started });
  const releaseEarly = async () => {
    await bus.close().catch(() => undefined);
    await lake?.close().catch(() => undefined);
    await ops?.close().catch(() => undefined);
  };
  try {
    // The ops endpoint comes first, so that /readyz tells a prober "not yet" while the services load.
    ops = await OpsServer.start(config.bindHost, config.ops.port, { metrics, readiness, status: { identity, recentErrors } }, logger);
    if (lake) {
      await applyLakeSchema(lake, ({ done, total, table, elapsedMs }) =>
        logger.info({ step: done, steps: total, table, elapsedMs, etaMs: Math.round((elapsedMs / done) * (total - done)) }, `lake migration ${done}/${total}: ${table}`),
      );
    }
  } catch (err) {
    await releaseEarly();
    throw err;
  }
  const control = ControlStore.open(config.controlFile);

  @Module({ imports: [RuntimeModule.forRoot({ config, logger, bus, control, lake, metrics, readiness, tracing }), ...services.map((s) => SERVICE_MODULES[s])] })
  class CaracalRootModule {}

  let app: INestApplicationContext;
  let httpPort = 0;
  let drain: HttpDrain | undefined;
  try {
    if (services.includes('ingest')) {
      // The ingest controller reads (and gunzips) the raw body itself, with its own size limit.
      const http = await NestFactory.create(CaracalRootModule, { bodyParser: false, logger: false, abortOnError: false });
      drain = new HttpDrain(http.getHttpServer() as Server);
      await http.listen(config.httpPort, config.bindHost);
      httpPort = (http.getHttpServer().address() as AddressInfo).port;
      logger.info({ address: `http://${config.bindHost}:${httpPort}` }, 'ingest listening');
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(CaracalRootModule, { logger: false, abortOnError: false });
    }
  } catch (err) {
    // A service that failed to start must not leave consumers of the others running.
    await releaseEarly();
    throw err;
  }
  started = true;
  const grpcPort = services.includes('api') ? app.get(GrpcServerService).port : 0;
  const steps: ShutdownStep[] = [
    ...(drain ? [{ name: 'ingest requests', run: () => drain.drain(), pending: () => `${drain.requestsInFlight} request(s) in flight` }] : []),
    // Nest's shutdown hooks: consumers finish and commit their current batch, then the services release what they hold.
    { name: 'services', run: () => app.close(), pending: () => describeStopping(bus) },
    { name: 'bus', run: () => bus.close() },
    // Spans buffered for export go out before the process ends.
    { name: 'traces', run: () => tracing.shutdown() },
    ...(lake ? [{ name: 'lake', run: () => lake.close() }] : []),
    { name: 'ops endpoint', run: () => ops.close() },
  ];
  let closing: Promise<void> | undefined;
  return {
    services,
    httpPort,
    grpcPort,
    opsPort: ops.port,
    logger,
    close: () => {
      closing ??= shutDown(readiness, steps, config.ops.shutdownTimeoutMs, logger);
      return closing;
    },
  };
}

function describeStopping(bus: ObservedMessageBus): string | undefined {
  const stopping = bus.stopping();
  return stopping.length > 0 ? `consumers finishing their batch: ${stopping.join('; ')}` : undefined;
}
