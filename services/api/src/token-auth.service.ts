import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { CONTROL_STORE, UnauthenticatedError } from '@caracal/core';
import { ControlStore, TokenRecord } from '@caracal/core/control-plane';

export interface Caller {
  tenantId: string;
  tokenId: string;
  tokenName: string;
  role: TokenRecord['role'];
}

/** The caller's tenant comes from its API token, never from the request. */
@Injectable()
export class TokenAuthService {
  constructor(@Inject(CONTROL_STORE) private readonly control: ControlStore) {}

  authenticate(metadata: Metadata): Caller {
    const values = metadata.get('authorization');
    const header = typeof values[0] === 'string' ? values[0] : undefined;
    if (!header) throw new UnauthenticatedError('missing "authorization: Bearer <API token>" metadata');
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw new UnauthenticatedError('the authorization metadata must be "Bearer <API token>"');
    const record = this.control.authenticateToken(m[1]);
    return { tenantId: record.tenantId, tokenId: record.id, tokenName: record.name, role: record.role };
  }
}

/** How a caller is named where people read who did something (alert activity, detection changes). */
export function actorName(caller: Caller): string {
  return `token:${caller.tokenName} (${caller.tokenId})`;
}
