import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createMessageBus } from '@caracal/bus';
import { CaracalConfig, CaracalError, ControlStore, createLogger, Logger } from '@caracal/core';
import { AlertStageModule } from '@caracal/alert-stage';
import { ClickhouseWriterModule } from '@caracal/clickhouse-writer';
import { IngestModule } from '@caracal/ingest';
import { applyLakeSchema, createLakeClient, LakeClient } from '@caracal/lake';
import { GrpcServerService, QueryModule } from '@caracal/query';
import { RulesWorkerModule } from '@caracal/rules-worker';
import { RuntimeModule } from './runtime.module';

export const SERVICE_NAMES = ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'query'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const MODULES: Record<ServiceName, Type<unknown>> = {
  ingest: IngestModule,
  'rules-worker': RulesWorkerModule,
  'alert-stage': AlertStageModule,
  'clickhouse-writer': ClickhouseWriterModule,
  query: QueryModule,
};

export interface RunningCaracal {
  services: ServiceName[];
  /** Bound ports; 0 when the service is not in this process. */
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  close(): Promise<void>;
}

export function parseServiceNames(names: string[]): ServiceName[] {
  const out: ServiceName[] = [];
  for (const raw of names.flatMap((n) => n.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
      throw new CaracalError('INVALID_ARGUMENT', `unknown service "${name}"; the services are ${SERVICE_NAMES.join(', ')}`);
    }
    if (!out.includes(name as ServiceName)) out.push(name as ServiceName);
  }
  if (out.length === 0) throw new CaracalError('INVALID_ARGUMENT', `name at least one service: ${SERVICE_NAMES.join(', ')}`);
  return out;
}

/**
 * Runs the named services in this process. Embedded mode runs all five over
 * the local bus; kafka mode runs any subset over the broker. The service code
 * is the same either way: only the bus and lake adapters differ.
 */
export async function startCaracal(config: CaracalConfig, services: ServiceName[], logger = createLogger(config.logLevel)): Promise<RunningCaracal> {
  // chDB is an in-process engine that owns its directory: the processes that
  // read and write the embedded lake must be one process.
  const needsLake = services.includes('clickhouse-writer') || services.includes('query');
  if (needsLake && !config.clickhouse.url && config.mode === 'kafka' && !(services.includes('clickhouse-writer') && services.includes('query'))) {
    throw new CaracalError(
      'INVALID_CONFIG',
      'with the embedded chDB lake (no CARACAL_CLICKHOUSE_URL), clickhouse-writer and query must run in the same process: serve clickhouse-writer,query',
    );
  }
  const bus = createMessageBus(config, logger);
  let lake: LakeClient | undefined;
  if (needsLake) {
    lake = createLakeClient(config);
    await applyLakeSchema(lake);
  }
  const control = ControlStore.open(config.controlFile);

  @Module({ imports: [RuntimeModule.forRoot({ config, logger, bus, control, lake }), ...services.map((s) => MODULES[s])] })
  class CaracalRootModule {}

  let app: INestApplicationContext;
  let httpPort = 0;
  try {
    if (services.includes('ingest')) {
      // The ingest controller reads (and gunzips) the raw body itself, with its own size limit.
      const http = await NestFactory.create(CaracalRootModule, { bodyParser: false, logger: false });
      await http.listen(config.httpPort, config.bindHost);
      httpPort = (http.getHttpServer().address() as AddressInfo).port;
      logger.info({ address: `http://${config.bindHost}:${httpPort}` }, 'ingest listening');
      app = http;
    } else {
      app = await NestFactory.createApplicationContext(CaracalRootModule, { logger: false });
    }
  } catch (err) {
    // A service that failed to start must not leave consumers of the others running.
    await bus.close().catch(() => undefined);
    await lake?.close().catch(() => undefined);
    throw err;
  }
  const grpcPort = services.includes('query') ? app.get(GrpcServerService).port : 0;
  let closed = false;
  return {
    services,
    httpPort,
    grpcPort,
    logger,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await bus.close();
      await lake?.close();
    },
  };
}
