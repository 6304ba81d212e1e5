import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sameSha256, secretSha256 } from './secret-digest';
import { CaracalError, InvalidArgumentError, NotFoundError, UnauthenticatedError } from '../kernel/errors';
import { Severity, SEVERITIES } from '../messages/event.types';
import { issueSourceSecret, verifySourceRequest } from './source-auth';
import { migrateSourceRecord } from './source-record.migration';
import { checkAuthHeader, checkPreviousValidSeconds, checkRateLimit, checkSourceAuthMode } from './source-settings';
import { checkKafkaSettings, checkS3Settings, checkSourceTransport, KafkaSourceInput, S3SourceInput } from './source-transport.settings';
import { isPullSource, SourceAuthMode, SourceRecord, sourceTransport, SourceTransport } from './source.types';
import { supportedLogTypes } from '../log-schemas/log-schema.registry';
import { MAX_SOURCE_ID_PREFIX_CHARS, RESERVED_SOURCE_ID_PREFIX, SOURCE_ID_PATTERN } from '../kernel/api-limits';

export type TokenRole = 'admin' | 'analyst' | 'read-only';
export const TOKEN_ROLES: readonly TokenRole[] = ['admin', 'analyst', 'read-only'];

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export interface TokenRecord {
  id: string;
  tenantId: string;
  name: string;
  role: TokenRole;
  tokenSha256: string;
  createdAt: string;
}

export type DestinationType = 'webhook' | 'slack';
export const DESTINATION_TYPES: readonly DestinationType[] = ['webhook', 'slack'];

/** Where a tenant's alerts are delivered. */
export interface DestinationRecord {
  id: string;
  tenantId: string;
  name: string;
  type: DestinationType;
  url: string;
  /** webhook only: HMAC-SHA256 key; kept because it must sign, never shown again */
  signingSecret?: string;
  /** severities delivered by default (routing step 3) */
  severities: Severity[];
  createdAt: string;
}

/** INFO alerts are many and start RESOLVED, so a destination takes them only when asked to. */
export const DEFAULT_DESTINATION_SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export interface ControlData {
  tenants: Tenant[];
  sources: SourceRecord[];
  tokens: TokenRecord[];
  destinations: DestinationRecord[];
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
// Re-reading the file on every request would cost a stat per event; a second
// of staleness is what a source or token created by another process waits.
const RELOAD_CHECK_MS = 1000;

/** What a source id made by the server may start with; the id it becomes is checked as any source id. */
export function checkSourceIdPrefix(prefix: string): void {
  if (prefix.length > MAX_SOURCE_ID_PREFIX_CHARS || !SOURCE_ID_PATTERN.test(prefix)) {
    throw new InvalidArgumentError(
      `source id prefix must be 1-${MAX_SOURCE_ID_PREFIX_CHARS} lower-case letters, digits or dashes, starting with a letter or digit; the server adds a random end`,
    );
  }
  if (`${prefix}-`.startsWith(RESERVED_SOURCE_ID_PREFIX)) {
    throw new InvalidArgumentError(`source id prefix "${prefix}" would make an id starting with "${RESERVED_SOURCE_ID_PREFIX}", which is kept for Caracal's own sources (caracal-api writes the API audit trail)`);
  }
}

function checkDestinationUrl(type: DestinationType, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new InvalidArgumentError('destination url is not a valid URL', { cause: err });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidArgumentError(`destination url must be http or https, got "${parsed.protocol.replace(/:$/, '')}"`);
  }
  if (type === 'slack' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError('destination url of a slack destination must be https');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidArgumentError('destination url must not carry a user name or password');
  }
}

function checkSeverities(input: string[]): Severity[] {
  const out: Severity[] = [];
  for (const raw of input) {
    const s = raw.trim().toUpperCase() as Severity;
    if (!SEVERITIES.includes(s)) {
      throw new InvalidArgumentError(`destination severities: "${raw}" is not one of ${SEVERITIES.join(', ')}`);
    }
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * Tenants, ingest sources, API tokens and alert destinations, kept in one
 * JSON file. Source secrets and tokens are stored only as SHA-256 hashes:
 * they are random 256-bit values, so a slow password hash would add latency
 * without adding safety. HMAC source keys and destination signing secrets
 * are the exceptions (see issueSourceSecret and createDestination).
 */
export class ControlStore {
  private data: ControlData = { tenants: [], sources: [], tokens: [], destinations: [] };
  private loadedMtimeMs = -1;
  private lastCheck = 0;

  constructor(readonly file: string) {}

  static open(file: string): ControlStore {
    const store = new ControlStore(file);
    store.reloadIfChanged(true);
    return store;
  }

  snapshot(): ControlData {
    this.reloadIfChanged();
    return structuredClone(this.data);
  }

  createTenant(id: string, name = id): Tenant {
    this.checkId('tenant id', id);
    this.reloadIfChanged(true);
    if (this.data.tenants.some((t) => t.id === id)) {
      throw new CaracalError('ALREADY_EXISTS', `tenant "${id}" already exists`);
    }
    const tenant = { id, name, createdAt: new Date().toISOString() };
    this.data.tenants.push(tenant);
    this.save();
    return tenant;
  }

  /**
   * Creates a source and returns it with its secret, which only an HMAC
   * source keeps (see issueSourceSecret). Without `id` the id is made here:
   * `idPrefix` (default "src"), a dash and 10 random hex digits, drawn again
   * while taken. Ids are one namespace, since ingest finds a source by id
   * alone, so a tenant that chose its ids would learn which ids other tenants
   * hold; the API therefore always has them made (decision 0014).
   */
  createSource(input: {
    id?: string;
    idPrefix?: string;
    tenantId: string;
    label?: string;
    logType: string;
    authMode?: SourceAuthMode;
    authHeader?: string;
    rateLimitPerSecond?: number;
    /** Default http. An s3 or kafka source takes its settings here, and no HTTP secret, header or rate limit. */
    transport?: SourceTransport;
    s3?: S3SourceInput;
    kafka?: KafkaSourceInput;
  }): {
    source: SourceRecord;
    /** The HTTP secret; '' for a pull source, which has none. */
    secret: string;
  } {
    if (input.id !== undefined) this.checkSourceId('source id', input.id);
    else if (input.idPrefix !== undefined) checkSourceIdPrefix(input.idPrefix);
    if (!supportedLogTypes().includes(input.logType)) {
      throw new InvalidArgumentError(`source log type "${input.logType}" must be one of ${supportedLogTypes().join(', ')}`);
    }
    const transport = checkSourceTransport(input.transport);
    const pull = transport !== 'http';
    if (pull) {
      // Nobody sends to a pull source, so what would authenticate or limit senders would only mislead.
      const httpOnly = ([['auth_mode', input.authMode], ['auth_header', input.authHeader], ['rate_limit_per_second', input.rateLimitPerSecond]] as const).find(([, v]) => v !== undefined);
      if (httpOnly) throw new InvalidArgumentError(`${httpOnly[0]} applies to http sources only; a ${transport} source is read by Caracal itself`);
    }
    if (transport !== 's3' && input.s3 !== undefined) throw new InvalidArgumentError(`s3 settings apply to s3 sources only; this source's transport is ${transport}`);
    if (transport !== 'kafka' && input.kafka !== undefined) throw new InvalidArgumentError(`kafka settings apply to kafka sources only; this source's transport is ${transport}`);
    const s3 = transport === 's3' ? checkS3Settings(input.s3) : undefined;
    const kafka = transport === 'kafka' ? checkKafkaSettings(input.kafka) : undefined;
    const authMode = checkSourceAuthMode(input.authMode);
    const authHeader = checkAuthHeader(authMode, input.authHeader);
    const rateLimitPerSecond = checkRateLimit(input.rateLimitPerSecond);
    this.reloadIfChanged(true);
    this.requireTenant(input.tenantId);
    if (input.id !== undefined && this.data.sources.some((s) => s.id === input.id)) {
      throw new CaracalError('ALREADY_EXISTS', `source "${input.id}" already exists`);
    }
    const id = input.id ?? this.freshSourceId(input.idPrefix ?? 'src');
    const now = new Date();
    // A pull source gets no HTTP secret: ingest refuses every request to it before looking for one.
    const issued = pull ? undefined : issueSourceSecret(authMode, now);
    const source: SourceRecord = {
      id,
      tenantId: input.tenantId,
      label: input.label ?? input.idPrefix ?? id,
      logType: input.logType,
      authMode,
      authHeader,
      secrets: issued ? [issued.record] : [],
      ...(rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond }),
      ...(pull ? { transport } : {}),
      ...(s3 === undefined ? {} : { s3 }),
      ...(kafka === undefined ? {} : { kafka }),
      createdAt: now.toISOString(),
    };
    this.data.sources.push(source);
    this.save();
    return { source: structuredClone(source), secret: issued?.secret ?? '' };
  }

  /**
   * Gives a source of the tenant a new secret, returned here once. The
   * previous one stays valid for `previousValidSeconds` (default a day, 0
   * refuses it at once) so that senders can move over without losing events;
   * a secret older than that is dropped. Another tenant's source reads as missing.
   */
  rotateSourceSecret(tenantId: string, sourceId: string, options: { previousValidSeconds?: number } = {}): { source: SourceRecord; secret: string } {
    const validSeconds = checkPreviousValidSeconds(options.previousValidSeconds);
    this.reloadIfChanged(true);
    const index = this.data.sources.findIndex((s) => s.id === sourceId && s.tenantId === tenantId);
    if (index < 0) throw new NotFoundError(`no source "${sourceId}"`);
    const current = this.data.sources[index];
    if (isPullSource(current)) {
      throw new InvalidArgumentError(`source "${sourceId}" is read by Caracal from ${sourceTransport(current)} and has no HTTP secret to rotate`);
    }
    const now = new Date();
    const { secret, record } = issueSourceSecret(current.authMode, now);
    const previous = current.secrets[0];
    const kept = previous === undefined || validSeconds === 0 ? [] : [{ ...previous, expiresAt: new Date(now.getTime() + validSeconds * 1000).toISOString() }];
    // A new object, not an edit: a record handed out by findSource stays as it was.
    const source: SourceRecord = { ...current, secrets: [record, ...kept] };
    this.data.sources[index] = source;
    this.save();
    return { source: structuredClone(source), secret };
  }

  createToken(input: { tenantId: string; name: string; role: TokenRole }): { record: TokenRecord; token: string } {
    if (input.name.trim() === '' || input.name.length > 200 || /[\u0000-\u001f\u007f]/.test(input.name)) {
      throw new InvalidArgumentError(`token name "${input.name}" must be 1-200 characters without control characters`);
    }
    if (!TOKEN_ROLES.includes(input.role)) throw new InvalidArgumentError(`token role "${input.role}" must be one of ${TOKEN_ROLES.join(', ')}`);
    this.reloadIfChanged(true);
    this.requireTenant(input.tenantId);
    const id = randomBytes(6).toString('hex');
    // The prefix lets a leaked token be recognised by secret scanners.
    const token = `crc_${id}_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id,
      tenantId: input.tenantId,
      name: input.name,
      role: input.role,
      tokenSha256: secretSha256(token),
      createdAt: new Date().toISOString(),
    };
    this.data.tokens.push(record);
    this.save();
    return { record, token };
  }

  /** The tenant's sources, oldest first. */
  sourcesOf(tenantId: string): SourceRecord[] {
    this.reloadIfChanged(true);
    return structuredClone(this.data.sources.filter((s) => s.tenantId === tenantId));
  }

  /**
   * Every tenant's pull sources (s3, kafka), for the ingest processes that
   * read them. Checked against the file at most once a second, like findSource.
   */
  pullSources(): SourceRecord[] {
    this.reloadIfChanged();
    return structuredClone(this.data.sources.filter(isPullSource));
  }

  /** Removes a source of the tenant; another tenant's source reads as missing. */
  deleteSource(tenantId: string, sourceId: string): void {
    this.reloadIfChanged(true);
    const index = this.data.sources.findIndex((s) => s.id === sourceId && s.tenantId === tenantId);
    if (index < 0) throw new NotFoundError(`no source "${sourceId}"`);
    this.data.sources.splice(index, 1);
    this.save();
  }

  /** The tenant's tokens, oldest first (hashes included; the edge shows only what it must). */
  tokensOf(tenantId: string): TokenRecord[] {
    this.reloadIfChanged(true);
    return structuredClone(this.data.tokens.filter((t) => t.tenantId === tenantId));
  }

  /** Revokes a token of the tenant; another tenant's token reads as missing. */
  revokeToken(tenantId: string, tokenId: string): void {
    this.reloadIfChanged(true);
    const index = this.data.tokens.findIndex((t) => t.id === tokenId && t.tenantId === tenantId);
    if (index < 0) throw new NotFoundError(`no token "${tokenId}"`);
    this.data.tokens.splice(index, 1);
    this.save();
  }

  /**
   * Creates an alert destination. A webhook gets a signing secret, returned
   * here once; unlike source secrets it is kept in clear, since signing needs it.
   */
  createDestination(input: {
    id: string;
    tenantId: string;
    name?: string;
    type: DestinationType;
    url: string;
    severities?: Severity[];
  }): { destination: DestinationRecord; signingSecret?: string } {
    this.checkId('destination id', input.id);
    if (!DESTINATION_TYPES.includes(input.type)) {
      throw new InvalidArgumentError(`destination type "${input.type}" must be one of ${DESTINATION_TYPES.join(', ')}`);
    }
    const name = input.name ?? input.id;
    if (name.trim() === '' || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
      throw new InvalidArgumentError(`destination name "${name}" must be 1-200 characters without control characters`);
    }
    checkDestinationUrl(input.type, input.url);
    const severities = checkSeverities(input.severities ?? [...DEFAULT_DESTINATION_SEVERITIES]);
    this.reloadIfChanged(true);
    this.requireTenant(input.tenantId);
    if (this.data.destinations.some((d) => d.id === input.id)) {
      throw new CaracalError('ALREADY_EXISTS', `destination "${input.id}" already exists`);
    }
    // Detections name destinations by id or name, so within a tenant each must pick one destination.
    const taken = new Set(this.data.destinations.filter((d) => d.tenantId === input.tenantId).flatMap((d) => [d.id, d.name]));
    if (taken.has(input.id) || taken.has(name)) {
      throw new CaracalError('ALREADY_EXISTS', `tenant "${input.tenantId}" already has a destination with id or name "${taken.has(input.id) ? input.id : name}"`);
    }
    // The prefix lets a leaked secret be recognised, and keeps it from starting with '-'.
    const signingSecret = input.type === 'webhook' ? `cds_${randomBytes(32).toString('base64url')}` : undefined;
    const destination: DestinationRecord = {
      id: input.id,
      tenantId: input.tenantId,
      name,
      type: input.type,
      url: input.url,
      ...(signingSecret === undefined ? {} : { signingSecret }),
      severities,
      createdAt: new Date().toISOString(),
    };
    this.data.destinations.push(destination);
    this.save();
    return signingSecret === undefined ? { destination } : { destination, signingSecret };
  }

  /**
   * The tenant's destinations. Always checked against the file (a stat, a
   * read only when it changed): a destination created a moment ago by the CLI
   * must get the next alert, and an empty list is no sign of a miss.
   */
  destinationsOf(tenantId: string): DestinationRecord[] {
    this.reloadIfChanged(true);
    return structuredClone(this.data.destinations.filter((d) => d.tenantId === tenantId));
  }

  /**
   * The source `sourceId`, whichever tenant it belongs to: for ingest, where
   * the source names the tenant. Not a copy, since it is read per request:
   * callers must not change it.
   */
  findSource(sourceId: string): SourceRecord {
    const source = this.findFresh(() => this.data.sources.find((s) => s.id === sourceId));
    if (!source) throw new NotFoundError(`no source "${sourceId}"`);
    return source;
  }

  /**
   * The source behind `sourceId` when the request carries its credentials; the
   * tenant comes from here only. An HMAC source needs `rawBody`, the body as received.
   */
  authenticateSource(sourceId: string, headers: Record<string, string | string[] | undefined>, rawBody?: Buffer): SourceRecord {
    return this.verifySource(this.findSource(sourceId), headers, rawBody);
  }

  /**
   * `source` (from findSource) when the request carries its credentials, or
   * its fresher record when a rotation elsewhere changed them.
   */
  verifySource(source: SourceRecord, headers: Record<string, string | string[] | undefined>, rawBody?: Buffer): SourceRecord {
    try {
      verifySourceRequest(source, headers, rawBody);
      return source;
    } catch (err) {
      // A secret rotated by another process a moment ago is a miss too: check
      // the file once more (a stat, a read only when it changed) before refusing.
      if (!(err instanceof UnauthenticatedError)) throw err;
      this.reloadIfChanged(true);
      const fresh = this.data.sources.find((s) => s.id === source.id);
      if (fresh === undefined || fresh === source) throw err;
      verifySourceRequest(fresh, headers, rawBody);
      return fresh;
    }
  }

  authenticateToken(token: string): TokenRecord {
    const hash = secretSha256(token);
    const found = this.findFresh(() => {
      // Compare against every record so the time taken does not tell which one matched.
      let match: TokenRecord | undefined;
      for (const t of this.data.tokens) if (sameSha256(hash, t.tokenSha256)) match = t;
      return match;
    });
    if (!found) throw new UnauthenticatedError('unknown API token');
    return found;
  }

  /**
   * Looks in what is loaded; on a miss, checks the file once more, since a
   * source or token created by another process a moment ago is a miss too.
   * A miss costs a stat, and a read only when the file changed.
   */
  private findFresh<T>(find: () => T | undefined): T | undefined {
    this.reloadIfChanged();
    const hit = find();
    if (hit !== undefined) return hit;
    this.reloadIfChanged(true);
    return find();
  }

  private freshSourceId(prefix: string): string {
    // 40 random bits: a draw that is taken (by any tenant) is drawn again, which tells the caller nothing.
    for (;;) {
      const id = `${prefix}-${randomBytes(5).toString('hex')}`;
      if (!this.data.sources.some((s) => s.id === id)) return id;
    }
  }

  private checkSourceId(what: string, id: string): void {
    this.checkId(what, id);
    if (id.startsWith(RESERVED_SOURCE_ID_PREFIX)) {
      throw new InvalidArgumentError(`${what} "${id}" starts with "${RESERVED_SOURCE_ID_PREFIX}", which is kept for Caracal's own sources (caracal-api writes the API audit trail)`);
    }
  }

  private requireTenant(id: string): void {
    if (!this.data.tenants.some((t) => t.id === id)) throw new NotFoundError(`no tenant "${id}"`);
  }

  private checkId(what: string, id: string): void {
    if (!ID_PATTERN.test(id)) {
      throw new InvalidArgumentError(`${what} "${id}" must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit`);
    }
  }

  private reloadIfChanged(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastCheck < RELOAD_CHECK_MS) return;
    this.lastCheck = now;
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(this.file).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new CaracalError('UNAVAILABLE', `cannot read control file ${this.file}`, { cause: err, retriable: true });
    }
    if (mtimeMs === this.loadedMtimeMs) return;
    let parsed: ControlData;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as ControlData;
    } catch (err) {
      throw new CaracalError('INVALID_CONFIG', `control file ${this.file} is not valid JSON`, { cause: err });
    }
    this.data = {
      tenants: parsed.tenants ?? [],
      sources: (parsed.sources ?? []).map(migrateSourceRecord),
      tokens: parsed.tokens ?? [],
      destinations: parsed.destinations ?? [],
    };
    this.loadedMtimeMs = mtimeMs;
  }

  private save(): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // Write-then-rename so a reader in another process never sees half a file.
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
      fs.renameSync(tmp, this.file);
      this.loadedMtimeMs = fs.statSync(this.file).mtimeMs;
    } catch (err) {
      // The change is not kept: forget it, so this process does not serve what no other will.
      this.loadedMtimeMs = -1;
      this.reloadIfChanged(true);
      // A read-only mount (a Kubernetes Secret) is a deployment choice, not a fault to retry.
      throw new CaracalError('INVALID_CONFIG', `cannot write control file ${this.file}; changes of tenants, sources and tokens need it writable`, { cause: err });
    }
  }
}
