import * as fs from 'node:fs';
import { CaracalConfig, CaracalError } from '@caracal/core';
import { resolveIngestAccess } from './client-credentials';
import type { CliIo } from './cli-output';
import { readLocalCredentials } from './local-credentials';

export interface SendOptions {
  source?: string;
  url?: string;
  secret?: string;
  format: 'text' | 'json';
}

/** `caracal send`: each file POSTed whole to the source (the i21-send branch replaces this with streaming and retries). */
export async function sendCommand(config: CaracalConfig, files: string[], options: SendOptions, io: CliIo): Promise<number> {
  const source = options.source ?? readLocalCredentials(config)?.sourceId;
  if (!source) throw new CaracalError('INVALID_ARGUMENT', 'send needs --source <source id>');
  const access = resolveIngestAccess(config, { url: options.url, secret: options.secret, source });
  let failed = false;
  for (const file of files.length > 0 ? files : ['-']) {
    const body = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
    const res = await fetch(`${access.url}/http/${encodeURIComponent(source)}`, { method: 'POST', headers: { 'content-type': 'application/json', [access.header]: access.secret }, body });
    const text = await res.text();
    io.out(`${file}: HTTP ${res.status} ${text}`);
    if (!res.ok || (JSON.parse(text) as { rejected: unknown[] }).rejected.length > 0) failed = true;
  }
  return failed ? 1 : 0;
}
