import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, Logger } from '@caracal/core';
import { CaracalMetrics, ReadinessRegistry } from '@caracal/core/observability';
import { processStatus, ProcessStatusSource } from './process-status';

export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface OpsSources {
  metrics: CaracalMetrics;
  readiness: ReadinessRegistry;
  /** /statusz is served only with it (the process's identity and last errors). */
  status?: ProcessStatusSource;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, value: unknown): OpsAnswer {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/**
 * The answer to one request of the ops endpoint: liveness (the process
 * answers), readiness (every check of its services passes), and the metrics
 * in Prometheus' text format; and /statusz, for `caracal status`: readiness,
 * who answers and its last errors, always 200 since it reports rather than
 * gates. Only GET (and HEAD) of these paths.
 */
export async function opsAnswer(method: string, url: string, sources: OpsSources): Promise<OpsAnswer> {
  const path = url.split('?', 1)[0];
  const status = sources.status;
  const known = path === '/livez' || path === '/readyz' || path === '/metrics' || (path === '/statusz' && status !== undefined);
  if (!known) return json(404, { error: `no such path ${path.slice(0, 200)}; try /livez, /readyz, /metrics${status ? ' or /statusz' : ''}` });
  if (method !== 'GET' && method !== 'HEAD') return json(405, { error: `${method} is not allowed; use GET` });
  if (path === '/livez') return json(200, { status: 'ok' });
  if (path === '/statusz' && status) return json(200, await processStatus(status, sources.readiness));
  if (path === '/readyz') {
    const report = await sources.readiness.report();
    return json(report.status === 'ready' ? 200 : 503, report);
  }
  return { status: 200, contentType: sources.metrics.contentType, body: await sources.metrics.exposition() };
}

/** The ops HTTP server of one process; plain node:http, so it answers while the services are still starting. */
export class OpsServer {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(host: string, port: number, sources: OpsSources, logger: Logger): Promise<OpsServer> {
    const server = http.createServer((req, res) => {
      opsAnswer(req.method ?? 'GET', req.url ?? '/', sources)
        .catch((err: unknown): OpsAnswer => {
          logger.error({ err }, 'ops request failed');
          return json(500, { error: describeError(err) });
        })
        .then((answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.contentType,
            'content-length': Buffer.byteLength(answer.body),
            // Probes and scrapes must never see a cached answer.
            'cache-control': 'no-store',
          });
          res.end(req.method === 'HEAD' ? undefined : answer.body);
        });
    });
    // Scrapers and probes keep connections open between requests; that must not hold up a stop.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    logger.info({ address: `http://${host}:${bound}` }, 'ops listening');
    return new OpsServer(server, bound);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
