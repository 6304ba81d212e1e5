import type { Role__Output, Token__Output } from '@caracal/api';
import { CaracalConfig } from '@caracal/core';
import { flagParser, runSubcommand, time, usageError, withClient } from './api-command-support';
import { checkFormat, CliIo, formatTable } from './cli-output';

export const TOKENS_USAGE = `usage:
  caracal tokens create --name <name> --role admin|analyst|read-only
  caracal tokens list [--format table|json]
  caracal tokens revoke <token id>`;

const flags = flagParser('tokens', TOKENS_USAGE);

/** The role names people type (the control file's names), and the API's for each. */
const ROLES = { admin: 'ROLE_ADMIN', analyst: 'ROLE_ANALYST', 'read-only': 'ROLE_READ_ONLY' } as const;
type RoleName = keyof typeof ROLES;

export function parseRole(text: string | undefined): (typeof ROLES)[RoleName] {
  const names = Object.keys(ROLES).join(', ');
  if (text === undefined || text === '') throw usageError(`tokens create needs --role, one of ${names}`, TOKENS_USAGE);
  const name = text.trim().toLowerCase();
  if (!Object.hasOwn(ROLES, name)) throw usageError(`--role must be one of ${names}, got "${text}"`, TOKENS_USAGE);
  return ROLES[name as RoleName];
}

export function roleName(role: Role__Output): string {
  return (Object.keys(ROLES) as RoleName[]).find((n) => ROLES[n] === role) ?? role;
}

function row(t: Token__Output) {
  return { tokenId: t.tokenId, name: t.name, role: roleName(t.role), createdTime: time(t.createdTime) };
}

async function create(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('create', args, { name: { type: 'string' }, role: { type: 'string' } } as const);
  if (positionals.length > 0) throw usageError(`tokens create takes no arguments, got "${positionals[0]}"`, TOKENS_USAGE);
  if (values.name === undefined || values.name.trim() === '') throw usageError('tokens create needs --name', TOKENS_USAGE);
  const role = parseRole(values.role);
  const name = values.name;
  const res = await withClient(config, values, (c) => c.createToken(name, role));
  const id = res.token?.tokenId ?? '';
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

async function list(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('list', args, { format: { type: 'string', default: 'table' } } as const);
  if (positionals.length > 0) throw usageError(`tokens list takes no arguments, got "${positionals[0]}"`, TOKENS_USAGE);
  const format = checkFormat(values.format);
  const rows = (await withClient(config, values, (c) => c.listTokens())).map(row);
  if (format === 'json') io.out(JSON.stringify(rows));
  else io.out(`${formatTable(['tokenId', 'name', 'role', 'createdTime'], rows)}\n(${rows.length} tokens)`);
  return 0;
}

async function revoke(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = flags('revoke', args, {});
  if (positionals.length !== 1 || positionals[0] === '') throw usageError('tokens revoke takes one token id', TOKENS_USAGE);
  await withClient(config, values, (c) => c.revokeToken(positionals[0]));
  io.out(`token ${positionals[0]} revoked`);
  return 0;
}

/** `caracal tokens <create|list|revoke>`: the tenant's API tokens (needs an admin token). */
export function tokensCommand(config: CaracalConfig, args: string[], io: CliIo): Promise<number> {
  return runSubcommand('tokens', TOKENS_USAGE, { create, list, revoke }, config, args, io);
}
