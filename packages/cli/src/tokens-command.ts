import type { Role__Output, Token__Output } from '@caracal/api';
import { CaracalConfig } from '@caracal/core';
import { CaracalError } from '@caracal/core';
import { ApiFlags, time, withClient } from './api-command-support';
import { CliIo, formatTable } from './cli-output';

/** The role names people type (the control file's names), and the API's for each. */
const ROLES = { admin: 'ROLE_ADMIN', analyst: 'ROLE_ANALYST', 'read-only': 'ROLE_READ_ONLY' } as const;
type RoleName = keyof typeof ROLES;

export function parseRole(text: string | undefined): (typeof ROLES)[RoleName] {
  const names = Object.keys(ROLES).join(', ');
  if (text === undefined || text === '') throw new CaracalError('INVALID_ARGUMENT', `tokens create needs --role, one of ${names}`);
  const name = text.trim().toLowerCase();
  if (!Object.hasOwn(ROLES, name)) throw new CaracalError('INVALID_ARGUMENT', `--role must be one of ${names}, got "${text}"`);
  return ROLES[name as RoleName];
}

export function roleName(role: Role__Output): string {
  return (Object.keys(ROLES) as RoleName[]).find((n) => ROLES[n] === role) ?? role;
}

function row(t: Token__Output) {
  return { tokenId: t.tokenId, name: t.name, role: roleName(t.role), createdTime: time(t.createdTime) };
}

type Format = { format: 'table' | 'json' };

/** `caracal tokens create --name N --role R`: the token is printed once. */
export async function tokensCreate(config: CaracalConfig, values: ApiFlags & Format & { name: string; role: string }, io: CliIo): Promise<number> {
  if (values.name.trim() === '') throw new CaracalError('INVALID_ARGUMENT', 'tokens create needs a --name that is not empty');
  const role = parseRole(values.role);
  const name = values.name;
  const res = await withClient(config, values, (c) => c.createToken(name, role));
  const id = res.token?.tokenId ?? '';
  if (values.format === 'json') {
    io.out(JSON.stringify({ ...(res.token ? row(res.token) : { tokenId: id, name, role: roleName(role) }), token: res.secret }));
    return 0;
  }
  io.out(
    [
      `token ${id} created: "${name}", role ${roleName(res.token?.role ?? role)}`,
      '',
      'Token (shown only now; it cannot be shown again, so keep it safe):',
      `  ${res.secret}`,
      'Use it as --token <token> or CARACAL_TOKEN; revoke it with "caracal tokens revoke ' + id + '".',
    ].join('\n'),
  );
  return 0;
}

/** `caracal tokens list`: never the secrets. */
export async function tokensList(config: CaracalConfig, values: ApiFlags & Format, io: CliIo): Promise<number> {
  const rows = (await withClient(config, values, (c) => c.listTokens())).map(row);
  if (values.format === 'json') io.out(JSON.stringify(rows));
  else io.out(`${formatTable(['tokenId', 'name', 'role', 'createdTime'], rows)}\n(${rows.length} tokens)`);
  return 0;
}

/** `caracal tokens revoke <id>`. */
export async function tokensRevoke(config: CaracalConfig, tokenId: string, values: ApiFlags & Format, io: CliIo): Promise<number> {
  if (tokenId === '') throw new CaracalError('INVALID_ARGUMENT', 'tokens revoke needs a token id that is not empty');
  await withClient(config, values, (c) => c.revokeToken(tokenId));
  io.out(values.format === 'json' ? JSON.stringify({ tokenId, revoked: true }) : `token ${tokenId} revoked`);
  return 0;
}
