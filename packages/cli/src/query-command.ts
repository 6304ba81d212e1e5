import { CaracalConfig } from '@caracal/core';
import { withClient } from './api-command-support';
import { CliIo, formatTable } from './cli-output';

export interface QueryOptions {
  endpoint?: string;
  token?: string;
  format: 'table' | 'json';
}

/** `caracal query "<SQL>"`: the tenant's lake over the API; JSON is the rows as one array. */
export async function queryCommand(config: CaracalConfig, sql: string, opts: QueryOptions, io: CliIo): Promise<number> {
  const result = await withClient(config, opts, (c) => c.executeQuery(sql));
  if (opts.format === 'json') io.out(JSON.stringify(result.rows));
  else io.out(`${formatTable(result.columns.map((c) => c.name), result.rows)}\n(${result.rows.length} rows, ${result.elapsedSeconds.toFixed(3)} s)`);
  return 0;
}
