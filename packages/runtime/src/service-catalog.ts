import type { Type } from '@nestjs/common';
import { AlertStageModule } from '@caracal/alert-stage';
import { ClickhouseWriterModule } from '@caracal/clickhouse-writer';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { IngestModule } from '@caracal/ingest';
import { ApiModule } from '@caracal/api-service';
import { RulesWorkerModule } from '@caracal/rules-worker';

/** The services a process can run, in the order `caracal start` lists them. */
export const SERVICE_NAMES = ['ingest', 'rules-worker', 'alert-stage', 'clickhouse-writer', 'api'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The Nest module of each service: the only place that maps a name on the command line to code. */
export const SERVICE_MODULES: Record<ServiceName, Type<unknown>> = {
  ingest: IngestModule,
  'rules-worker': RulesWorkerModule,
  'alert-stage': AlertStageModule,
  'clickhouse-writer': ClickhouseWriterModule,
  api: ApiModule,
};

/**
 * Former names still accepted on the command line. The API service was
 * called query; the Kubernetes and Compose services keep that name (clients
 * reach it by the DNS name query), so `serve query` must keep working.
 */
export const SERVICE_ALIASES: Readonly<Record<string, ServiceName>> = { query: 'api' };

export function parseServiceNames(names: string[]): ServiceName[] {
  const out: ServiceName[] = [];
  for (const raw of names.flatMap((n) => n.split(','))) {
    const given = raw.trim();
    if (!given) continue;
    const name = SERVICE_ALIASES[given] ?? given;
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
      throw new CaracalError('INVALID_ARGUMENT', `unknown service "${name}"; the services are ${SERVICE_NAMES.join(', ')}`);
    }
    if (!out.includes(name as ServiceName)) out.push(name as ServiceName);
  }
  if (out.length === 0) throw new CaracalError('INVALID_ARGUMENT', `name at least one service: ${SERVICE_NAMES.join(', ')}`);
  return out;
}

/** Whether a process running these services opens the lake. */
export function needsLake(services: readonly ServiceName[]): boolean {
  return services.includes('clickhouse-writer') || services.includes('api');
}

/**
 * chDB is an in-process engine that owns its directory: the services that
 * read and write the embedded lake must be one process.
 */
export function checkLakePlacement(config: CaracalConfig, services: readonly ServiceName[]): void {
  if (needsLake(services) && !config.clickhouse.url && config.mode === 'kafka' && !(services.includes('clickhouse-writer') && services.includes('api'))) {
    throw new CaracalError(
      'INVALID_CONFIG',
      'with the embedded chDB lake (no CARACAL_CLICKHOUSE_URL), clickhouse-writer and api must run in the same process: serve clickhouse-writer,api',
    );
  }
}
