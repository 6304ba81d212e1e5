import { Inject, Injectable } from '@nestjs/common';
import type { Source, SourceServiceHandlers } from '@caracal/api';
import { CONTROL_STORE, ControlStore, SourceRecord } from '@caracal/core';
import { toTimestamp } from './grpc-values.mapper';
import { RpcRunnerService } from './rpc-runner.service';

function toSourceMessage(s: SourceRecord): Source {
  return { sourceId: s.id, label: s.label, logType: s.logType, secretHeader: s.secretHeader, createdTime: toTimestamp(new Date(s.createdAt)) };
}

/** SourceService: the tenant's ingest sources; the tenant is the token's, whatever the request says. */
@Injectable()
export class SourceGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
  ) {}

  handlers(): SourceServiceHandlers {
    return {
      CreateSource: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const r = call.request;
          audit.input = { sourceId: r.sourceId, label: r.label, logType: r.logType, secretHeader: r.secretHeader };
          const { source, secret } = this.control.createSource({
            id: r.sourceId,
            tenantId: caller.tenantId,
            logType: r.logType,
            ...(r.label ? { label: r.label } : {}),
            ...(r.secretHeader ? { secretHeader: r.secretHeader } : {}),
          });
          return { source: toSourceMessage(source), secret };
        });
      },
      ListSources: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const sources = this.control.sourcesOf(caller.tenantId);
          audit.details = { sources: sources.length };
          return { sources: sources.map(toSourceMessage) };
        });
      },
      DeleteSource: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { sourceId: call.request.sourceId };
          this.control.deleteSource(caller.tenantId, call.request.sourceId);
          return {};
        });
      },
    };
  }
}
