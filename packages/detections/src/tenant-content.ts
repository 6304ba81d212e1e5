import path from 'node:path';
import { CaracalError, InvalidArgumentError } from '@caracal/core';
import { TenantDetectionRecord } from '@caracal/core/messages';
import type { ContentSet, RuleSpec } from './content.types';
import { DetectionFilesOptions, parseDetectionFiles } from './detection-files';

/** A record left out of a tenant's content. */
export interface TenantContentProblem {
  tenantId: string;
  ruleId: string;
  version: number;
  /** Why: its files do not parse (an InvalidContentError naming each problem), or they name another RuleID. */
  error: CaracalError;
}

export interface TenantContent {
  content: ContentSet;
  /** Records left out: the content is as if they did not exist, so the pack's rule of that RuleID, if any, stays. */
  problems: TenantContentProblem[];
}

export type TenantContentOptions = Pick<DetectionFilesOptions, 'supportedLogTypes'>;

/** Under the content root, so tracebacks show a tenant's module as `tenant-detections/<RuleID>/<Filename>`. */
const TENANT_DETECTIONS_DIR = 'tenant-detections';

// One directory per RuleID keeps two detections with the same Filename apart
// in tracebacks (Python caches source lines by file name).
function detectionDir(root: string, ruleId: string): string {
  const slug = ruleId.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(root, TENANT_DETECTIONS_DIR, /^\.*$/.test(slug) ? `_${slug}` : slug);
}

function latestByRuleId(records: Iterable<TenantDetectionRecord>): TenantDetectionRecord[] {
  const latest = new Map<string, TenantDetectionRecord>();
  let tenantId: string | undefined;
  for (const record of records) {
    tenantId ??= record.tenantId;
    if (record.tenantId !== tenantId) {
      throw new InvalidArgumentError(`tenantContent takes one tenant's records, got ${JSON.stringify(tenantId)} and ${JSON.stringify(record.tenantId)}`);
    }
    const current = latest.get(record.ruleId);
    if (!current || record.version > current.version) latest.set(record.ruleId, record);
  }
  // Sorted, so that the same records give the same content (and content key) in any order.
  return [...latest.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

/**
 * One tenant's content: the pack with the tenant's records laid over it. Of
 * several records of one RuleID the highest version counts; one with files
 * adds or replaces the rule of that RuleID, one without removes it, pack rules
 * (streaming or scheduled) included. Pure: the base is not changed.
 */
export function tenantContent(base: ContentSet, records: Iterable<TenantDetectionRecord>, options: TenantContentOptions = {}): TenantContent {
  const latest = latestByRuleId(records);
  if (latest.length === 0) return { content: base, problems: [] };
  const puts = new Map<string, RuleSpec>();
  const deleted = new Set<string>();
  const problems: TenantContentProblem[] = [];
  for (const record of latest) {
    if (record.files === undefined) {
      deleted.add(record.ruleId);
      continue;
    }
    try {
      const spec = parseDetectionFiles(record.files, { ...options, directory: detectionDir(base.root, record.ruleId) });
      if (spec.ruleId !== record.ruleId) {
        throw new InvalidArgumentError(`the YAML's RuleID ${JSON.stringify(spec.ruleId)} is not the record's ${JSON.stringify(record.ruleId)}`);
      }
      puts.set(record.ruleId, spec);
    } catch (err) {
      const error = err instanceof CaracalError ? err : new InvalidArgumentError(`cannot read the detection: ${String(err)}`, { cause: err });
      problems.push({ tenantId: record.tenantId, ruleId: record.ruleId, version: record.version, error });
    }
  }
  const overridden = (ruleId: string) => puts.has(ruleId) || deleted.has(ruleId);
  // A replaced pack rule keeps its place; new ones follow in RuleID order.
  const rules = base.rules.flatMap((rule) => (deleted.has(rule.ruleId) ? [] : [puts.get(rule.ruleId) ?? rule]));
  const inPack = new Set(base.rules.map((r) => r.ruleId));
  for (const [ruleId, spec] of puts) if (!inPack.has(ruleId)) rules.push(spec);
  const hiddenScheduled = new Set(base.scheduledRules.filter((r) => overridden(r.ruleId)).map((r) => r.filePath));
  return {
    content: {
      ...base,
      rules,
      scheduledRules: base.scheduledRules.filter((r) => !overridden(r.ruleId)),
      unsupported: base.unsupported.filter((u) => !hiddenScheduled.has(u.file)),
    },
    problems,
  };
}
