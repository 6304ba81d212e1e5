import { Inject, Injectable } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { UndecodableRequest } from '@caracal/api';
import { CaracalError, describeError, InvalidArgumentError, LOGGER, Logger } from '@caracal/core';
import { PantherAuditAction } from '@caracal/core/log-schemas';
import { ApiAuditService } from './api-audit.service';
import { toGrpcError } from './grpc-status.mapper';
import { authorize, policyOf } from './rpc-policy';
import { Caller, TokenAuthService } from './token-auth.service';

/** What a handler may add to its call's audit event. */
export interface RpcAudit {
  /** The action, when it depends on the outcome (a put that created or replaced). */
  action?: PantherAuditAction;
  /** What the caller asked for, without secrets. */
  input: Record<string, unknown>;
  /** What came of it. */
  details: Record<string, unknown>;
}

export interface RpcContext {
  caller: Caller;
  audit: RpcAudit;
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;

/**
 * Every RPC goes through here: the token names the tenant and role, the
 * method's policy admits the role or not, the handler runs, and the outcome
 * is written to the caller's audit trail before the caller hears it. Errors
 * become gRPC statuses here and nowhere else.
 */
@Injectable()
export class RpcRunnerService {
  constructor(
    private readonly auth: TokenAuthService,
    private readonly audit: ApiAuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  unary<Req, Res>(call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>, handler: (ctx: RpcContext) => Promise<Res>): void {
    this.serve(call as AnyCall, handler).then(
      (res) => callback(null, res),
      (err: unknown) => callback(this.toStatus(err, call.getPath()), null),
    );
  }

  /** A server stream: the handler writes; the stream ends (or fails) after the audit event is written. */
  stream<Req, Res>(call: grpc.ServerWritableStream<Req, Res>, handler: (ctx: RpcContext) => Promise<void>): void {
    this.serve(call as AnyCall, handler).then(
      () => call.end(),
      (err: unknown) => {
        // A cancelled call has no one left to tell.
        if (!call.cancelled) call.emit('error', this.toStatus(err, call.getPath()));
      },
    );
  }

  private async serve<Res>(call: AnyCall, handler: (ctx: RpcContext) => Promise<Res>): Promise<Res> {
    const method = call.getPath();
    // Without a valid token there is no tenant to write the event to; the log keeps the attempt.
    let caller: Caller;
    try {
      caller = this.auth.authenticate(call.metadata);
    } catch (err) {
      this.logger.warn({ method, peer: call.getPeer(), error: describeError(err) }, 'rpc refused: not authenticated');
      throw err;
    }
    const policy = policyOf(method);
    const ctx: RpcContext = { caller, audit: { input: {}, details: {} } };
    let result: Res;
    try {
      authorize(caller, method, policy);
      if (call.request instanceof UndecodableRequest) {
        throw new InvalidArgumentError(`the request is not a valid ${call.request.messageType} message: ${call.request.problem}`);
      }
      result = await handler(ctx);
    } catch (err) {
      // The caller's own words for what went wrong, never more.
      await this.write(call, ctx, policy?.action, false, toGrpcError(err).details);
      throw err;
    }
    await this.write(call, ctx, policy?.action, true);
    this.logger.debug({ method, tenantId: caller.tenantId }, 'rpc served');
    return result;
  }

  private async write(call: AnyCall, ctx: RpcContext, policyAction: PantherAuditAction | undefined, succeeded: boolean, error?: string): Promise<void> {
    const method = call.getPath();
    const userAgent = call.metadata.get('user-agent')[0];
    try {
      await this.audit.record({
        caller: ctx.caller,
        // A method without a policy was refused; it is still written, as the nearest thing Panther names.
        action: ctx.audit.action ?? policyAction ?? 'GET_GENERAL_SETTINGS',
        method,
        succeeded,
        input: ctx.audit.input,
        details: ctx.audit.details,
        ...(error === undefined ? {} : { error }),
        peer: call.getPeer(),
        ...(typeof userAgent === 'string' ? { userAgent } : {}),
      });
    } catch (err) {
      // An action that cannot be audited is not reported as done: the trail is what detects tampering.
      this.logger.error({ err, method, tenantId: ctx.caller.tenantId }, 'audit event not written');
      throw new CaracalError(
        'UNAVAILABLE',
        `${succeeded ? 'the call was served, but' : 'the call failed, and'} its audit event could not be written: ${describeError(err)}`,
        { cause: err, retriable: true },
      );
    }
  }

  private toStatus(err: unknown, method: string): grpc.ServiceError {
    const status = toGrpcError(err);
    if (status.code === grpc.status.INTERNAL || status.code === grpc.status.UNAVAILABLE) this.logger.error({ err, method }, 'rpc failed');
    return status as grpc.ServiceError;
  }
}
