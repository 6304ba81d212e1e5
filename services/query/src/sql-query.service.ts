import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, CaracalConfig, LAKE_CLIENT } from '@caracal/core';
import { checkLakeOnly, checkReadOnlyStatement, expandMacros, LakeClient, tablesReadBy, tenantQuerySettings } from '@caracal/lake';
import { engineQueryError } from './lake-query.errors';

export interface SqlResult {
  queryId: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  elapsedSeconds: number;
}

@Injectable()
export class SqlQueryService {
  constructor(
    @Inject(LAKE_CLIENT) private readonly lake: LakeClient,
    @Inject(CONFIG) private readonly config: CaracalConfig,
  ) {}

  /**
   * Expands the macros, checks with the engine which tables the query reads,
   * then runs it with the engine filtering every lake table to the tenant.
   */
  async execute(tenantId: string, sql: string): Promise<SqlResult> {
    const statement = checkReadOnlyStatement(expandMacros(sql));
    const settings = tenantQuerySettings(tenantId, this.config.query);
    const queryId = randomUUID();
    const started = process.hrtime.bigint();
    try {
      checkLakeOnly(await tablesReadBy(this.lake, statement, this.config.query.maxExecutionTimeSeconds));
      const rs = await this.lake.query({ query: `${statement}\nSETTINGS ${settings}`, format: 'JSON', query_id: queryId });
      const json = await rs.json<Record<string, unknown>>();
      return {
        queryId,
        columns: json.meta ?? [],
        rows: json.data,
        elapsedSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      };
    } catch (err) {
      throw engineQueryError(err);
    }
  }
}
