import { CaracalConfig, CaracalError } from '@caracal/core';
import { parseServiceNames, SERVICE_NAMES, startCaracal } from '@caracal/runtime';
import type { CliIo } from './cli-output';
import { ensureDemoCredentials, recordEndpoints } from './local-credentials';
import { recordRuntime } from './runtime-record';

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (sig: string) => resolve(sig);
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
}

async function runServices(config: CaracalConfig, names: string[], io: CliIo, banner: boolean): Promise<number> {
  const services = parseServiceNames(names);
  const demo = banner ? ensureDemoCredentials(config) : undefined;
  const running = await startCaracal(config, services);
  // `caracal status` finds this process by it; removed again when the process exits.
  recordRuntime(config, running);
  if (demo) {
    const created = demo.created;
    const creds = recordEndpoints(config, demo.creds, {
      ingestUrl: `http://${config.bindHost}:${running.httpPort}`,
      grpcEndpoint: `${config.bindHost}:${running.grpcPort}`,
    });
    io.out(
      [
        `Caracal is running (embedded mode, data in ${config.dataDir}).`,
        `  ingest:  POST ${creds.ingestUrl}/http/${creds.sourceId}   header ${creds.secretHeader}: ${creds.sourceSecret}`,
        `  gRPC:    ${creds.grpcEndpoint}   authorization: Bearer ${creds.token}`,
        `  tenant:  ${creds.tenantId}${created ? ' (created now; credentials kept in the data dir)' : ''}`,
        '',
        'Try, in another terminal:',
        `  npx caracal send --source ${creds.sourceId} events.ndjson`,
        `  npx caracal query "SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since('1 day')"`,
        '  npx caracal alerts list',
        '  npx caracal status',
        '',
        'Stop with Ctrl-C.',
      ].join('\n'),
    );
  } else {
    io.out(`caracal: serving ${services.join(', ')} (${config.mode} mode)`);
  }
  const signal = await waitForSignal();
  running.logger.info({ signal }, 'shutting down');
  await running.close();
  return 0;
}

/** `caracal start`: every service in this process, embedded mode, with the demo tenant's credentials printed. */
export function startCommand(config: CaracalConfig, io: CliIo): Promise<number> {
  if (config.mode !== 'embedded') throw new CaracalError('INVALID_ARGUMENT', '"caracal start" runs embedded mode; in kafka mode use "caracal serve <service>"');
  return runServices(config, [...SERVICE_NAMES], io, true);
}

/** `caracal serve <service>...`: the named services (names may also be comma-separated). */
export function serveCommand(config: CaracalConfig, names: string[], io: CliIo): Promise<number> {
  return runServices(config, names, io, false);
}
