import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { ExecuteQueryResponse, QueryServiceHandlers } from '@caracal/api';
import { MAX_SQL_BYTES } from '@caracal/core';
import { checkBytes, checkOpaqueId } from './rpc-argument.validator';
import { RpcRunnerService } from './rpc-runner.service';
import { SqlQueryService } from './sql-query.service';

/** QueryService: SQL over the tenant's lake, streamed. */
@Injectable()
export class QueryGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    private readonly sql: SqlQueryService,
  ) {}

  handlers(): QueryServiceHandlers {
    return {
      ExecuteQuery: (call) => {
        this.rpc.stream(call, async ({ caller, audit }) => {
          const queryId = randomUUID();
          audit.input = { sql: call.request.sql };
          audit.details = { queryId };
          checkBytes('sql', call.request.sql, MAX_SQL_BYTES);
          // The caller hanging up stops the query in the engine, not only the stream.
          const abort = new AbortController();
          const onCancelled = () => abort.abort();
          call.on('cancelled', onCancelled);
          const send = async (message: ExecuteQueryResponse) => {
            if (!call.write(message)) await once(call, 'drain', { signal: abort.signal });
          };
          try {
            await send({ header: { queryId } });
            const summary = await this.sql.run(
              caller.tenantId,
              call.request.sql,
              {
                columns: (columns) => send({ columns: { columns } }),
                rows: (rows) => send({ rows: { rowsJson: rows.map((r) => JSON.stringify(r)) } }),
              },
              { queryId, signal: abort.signal },
            );
            audit.details = { queryId, rowCount: summary.rowCount, elapsedSeconds: summary.elapsedSeconds };
            await send({ summary: { rowCount: String(summary.rowCount), elapsedSeconds: summary.elapsedSeconds } });
          } finally {
            call.off('cancelled', onCancelled);
          }
        });
      },
      CancelQuery: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { queryId: call.request.queryId };
          checkOpaqueId('query_id', call.request.queryId);
          const cancelled = this.sql.cancel(caller.tenantId, call.request.queryId);
          audit.details = { cancelled };
          return { cancelled };
        });
      },
    };
  }
}
