import { Inject, Injectable } from '@nestjs/common';
import type { SourceServiceHandlers } from '@caracal/api';
import { CONTROL_STORE, MAX_HEADER_NAME_CHARS, MAX_LOG_TYPE_CHARS, MAX_NAME_CHARS, MAX_SOURCE_ID_PREFIX_CHARS } from '@caracal/core';
import { ControlStore } from '@caracal/core/control-plane';
import { checkChars, checkSourceId } from './rpc-argument.validator';
import { RpcRunnerService } from './rpc-runner.service';
import { auditedPullSettings, authModeFromProto, kafkaInputFromProto, s3InputFromProto, toSourceMessage, transportFromProto } from './source-grpc.mapper';

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
          audit.input = {
            sourceId: r.sourceId,
            label: r.label,
            logType: r.logType,
            authMode: r.authMode,
            authHeader: r.authHeader,
            rateLimitPerSecond: r.rateLimitPerSecond,
            transport: r.transport,
            ...auditedPullSettings(r),
          };
          checkChars('source_id', r.sourceId, MAX_SOURCE_ID_PREFIX_CHARS);
          checkChars('label', r.label, MAX_NAME_CHARS);
          checkChars('log_type', r.logType, MAX_LOG_TYPE_CHARS);
          checkChars('auth_header', r.authHeader, MAX_HEADER_NAME_CHARS);
          const authMode = authModeFromProto(r.authMode);
          const transport = transportFromProto(r.transport);
          const s3 = s3InputFromProto(r.s3);
          const kafka = kafkaInputFromProto(r.kafka);
          // Empty and zero fields take the store's defaults. The id is always
          // made by the store, starting with what the caller asked for: ids are
          // one namespace across tenants, and a refused choice would tell the
          // caller that another tenant holds it (decision 0014).
          const { source, secret } = this.control.createSource({
            ...(r.sourceId ? { idPrefix: r.sourceId } : {}),
            tenantId: caller.tenantId,
            logType: r.logType,
            ...(r.label ? { label: r.label } : {}),
            ...(authMode ? { authMode } : {}),
            ...(r.authHeader ? { authHeader: r.authHeader } : {}),
            ...(r.rateLimitPerSecond ? { rateLimitPerSecond: r.rateLimitPerSecond } : {}),
            ...(transport ? { transport } : {}),
            ...(s3 ? { s3 } : {}),
            ...(kafka ? { kafka } : {}),
          });
          audit.details = { sourceId: source.id, secretId: source.secrets[0]?.id, transport: source.transport ?? 'http' };
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
          checkSourceId('source_id', call.request.sourceId);
          this.control.deleteSource(caller.tenantId, call.request.sourceId);
          return {};
        });
      },
      RotateSourceSecret: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const r = call.request;
          // proto3 optional: unset (the store's default) and 0 (refuse the previous secret now) differ.
          const options = r.previousValidSeconds === undefined ? {} : { previousValidSeconds: r.previousValidSeconds };
          audit.input = { sourceId: r.sourceId, ...options };
          checkSourceId('source_id', r.sourceId);
          const { source, secret } = this.control.rotateSourceSecret(caller.tenantId, r.sourceId, options);
          const [current, previous] = source.secrets;
          audit.details = { secretId: current?.id, ...(previous ? { previousSecretId: previous.id, previousSecretExpiresAt: previous.expiresAt } : {}) };
          return { source: toSourceMessage(source), secret };
        });
      },
    };
  }
}
