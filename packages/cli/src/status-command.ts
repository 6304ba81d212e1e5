import { CaracalConfig, CaracalError } from '@caracal/core';
import type { CliIo } from './cli-output';
import { dataDirBytes } from './data-dir-size';
import { readRuntimeRecords } from './runtime-record';
import { askProcess, statusFacts } from './status-facts';
import { renderStatus } from './status-render';

export interface StatusOptions {
  /** Ops endpoints to ask (kafka mode: one per service process); default: the processes recorded in the data dir. */
  ops?: string[];
  format: 'table' | 'json';
}

function opsUrl(given: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CaracalError('INVALID_ARGUMENT', `--ops "${given}" is not a URL; give the ops endpoint as http://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CaracalError('INVALID_ARGUMENT', `--ops "${given}" must be an http(s) URL`);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * `caracal status`: one screen with what runs, its readiness, the lag of each
 * stage, dead letters, the last errors and the data dir's size, read from each
 * process's /statusz and /metrics. The processes are the ones named with
 * --ops or, by default, those `caracal start`/`serve` recorded in the data dir.
 *
 * Exit code: 0 when every process asked answered and is ready; 1 when one is
 * down or not ready, or none runs. A process that does not answer is shown as
 * down (naming its URL and why), not thrown; a malformed --ops is an error.
 */
export async function statusCommand(config: CaracalConfig, options: StatusOptions, io: CliIo): Promise<number> {
  const given = (options.ops ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter((o) => o !== '');
  const records = readRuntimeRecords(config);
  const urls = given.length > 0 ? given.map(opsUrl) : records.live.map((r) => r.opsUrl);
  const answers = await Promise.all(urls.map(askProcess));
  const facts = statusFacts({
    mode: records.live[0]?.mode ?? config.mode,
    dataDir: config.dataDir,
    dataDirBytes: dataDirBytes(config.dataDir),
    answers,
    stalePids: records.stalePids,
  });
  io.out(options.format === 'json' ? JSON.stringify(facts) : renderStatus(facts));
  return facts.ok ? 0 : 1;
}
