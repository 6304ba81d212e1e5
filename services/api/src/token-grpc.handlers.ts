import { Inject, Injectable } from '@nestjs/common';
import type { Token, TokenServiceHandlers } from '@caracal/api';
import { CONTROL_STORE, MAX_NAME_CHARS } from '@caracal/core';
import { ControlStore, TOKEN_ROLES, TokenRecord, TokenRole } from '@caracal/core/control-plane';
import { fromEnum, toTimestamp } from './grpc-values.mapper';
import { checkChars, checkOpaqueId } from './rpc-argument.validator';
import { RpcRunnerService } from './rpc-runner.service';

const PROTO_ROLES: Record<TokenRole, string> = { admin: 'ROLE_ADMIN', analyst: 'ROLE_ANALYST', 'read-only': 'ROLE_READ_ONLY' };

export function roleFromProto(value: string | number): TokenRole {
  const name = fromEnum('role', 'ROLE_', ['ADMIN', 'ANALYST', 'READ_ONLY'], value);
  return TOKEN_ROLES.find((r) => PROTO_ROLES[r] === `ROLE_${name}`) as TokenRole;
}

function toTokenMessage(t: TokenRecord): Token {
  return { tokenId: t.id, name: t.name, role: PROTO_ROLES[t.role] as Token['role'], createdTime: toTimestamp(new Date(t.createdAt)) };
}

/** TokenService: API tokens of the caller's tenant; a token's value is shown once and kept only as a hash. */
@Injectable()
export class TokenGrpcHandlers {
  constructor(
    private readonly rpc: RpcRunnerService,
    @Inject(CONTROL_STORE) private readonly control: ControlStore,
  ) {}

  handlers(): TokenServiceHandlers {
    return {
      CreateToken: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { name: call.request.name, role: call.request.role };
          checkChars('name', call.request.name, MAX_NAME_CHARS);
          const { record, token } = this.control.createToken({ tenantId: caller.tenantId, name: call.request.name, role: roleFromProto(call.request.role) });
          audit.details = { tokenId: record.id };
          return { token: toTokenMessage(record), secret: token };
        });
      },
      ListTokens: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          const tokens = this.control.tokensOf(caller.tenantId);
          audit.details = { tokens: tokens.length };
          return { tokens: tokens.map(toTokenMessage) };
        });
      },
      RevokeToken: (call, callback) => {
        this.rpc.unary(call, callback, async ({ caller, audit }) => {
          audit.input = { tokenId: call.request.tokenId };
          checkOpaqueId('token_id', call.request.tokenId);
          this.control.revokeToken(caller.tenantId, call.request.tokenId);
          return {};
        });
      },
    };
  }
}
