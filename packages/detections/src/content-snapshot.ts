import { createHash } from 'node:crypto';
import { scheduledQueryLogType } from '@caracal/core/messages';
import { contentPayload } from './content-payload';
import type { ContentSet, RuleSpec, ScheduledRuleSpec } from './content.types';
import { InvalidContentError } from './errors';

/**
 * Content as the engine runs it: the rules, and the payload the detection
 * processes build an interpreter from, named by a key that is a hash of that
 * payload. Equal content has equal keys whoever it belongs to, so tenants on
 * the pack share it, and an interpreter is rebuilt only when its key changes.
 */
export class ContentSnapshot {
  readonly rules: readonly RuleSpec[];
  /** Log types of the enabled rules: events of other types never cross into Python. */
  readonly logTypes: ReadonlySet<string>;
  /** Every RuleID of the content. */
  readonly ruleIds: ReadonlySet<string>;
  private readonly enabledByLogType = new Map<string, ReadonlySet<string>>();

  private constructor(
    private readonly content: ContentSet,
    readonly key: string,
    private readonly kept: string | undefined,
    private readonly withPolicies: boolean,
  ) {
    this.rules = Object.freeze([...content.rules]);
    this.logTypes = new Set(content.rules.filter((r) => r.enabled).flatMap((r) => r.logTypes));
    this.ruleIds = new Set(content.rules.map((r) => r.ruleId));
  }

  /**
   * Refuses content with errors: a half-loaded rule set would silently miss
   * detections. `keepPayload`: hold the payload instead of rebuilding it for
   * each interpreter (worth it for content many tenants share; for one
   * tenant's, the few milliseconds to rebuild it cost less than holding it).
   * `withPolicies`: for test runs, the only ones that evaluate policies.
   * `withScheduledRules`: for the stream, where scheduled rules run as rules
   * of their queries' rows (test runs take them as rules of no log type).
   */
  static of(content: ContentSet, options: { keepPayload?: boolean; withPolicies?: boolean; withScheduledRules?: boolean } = {}): ContentSnapshot {
    if (content.errors.length > 0) throw new InvalidContentError(content.errors);
    if (options.withScheduledRules) content = { ...content, rules: [...content.rules, ...content.scheduledRules.map(runnableScheduledRule)] };
    const payload = contentPayload(content, { withPolicies: options.withPolicies });
    const key = createHash('sha256').update(payload).digest('hex').slice(0, 32);
    return new ContentSnapshot(content, key, options.keepPayload ? payload : undefined, options.withPolicies ?? false);
  }

  /** RuleIDs of the enabled rules of `logType`: the only rules that may answer for its events. */
  enabledRuleIds(logType: string): ReadonlySet<string> {
    let ids = this.enabledByLogType.get(logType);
    if (!ids) {
      ids = new Set(this.rules.filter((r) => r.enabled && r.logTypes.includes(logType)).map((r) => r.ruleId));
      this.enabledByLogType.set(logType, ids);
    }
    return ids;
  }

  /** What a detection process builds an interpreter from (see contentPayload). */
  payload(): string {
    return this.kept ?? contentPayload(this.content, { withPolicies: this.withPolicies });
  }
}

/** A scheduled rule as a rule of its queries' rows: their events carry the query in their log type. */
function runnableScheduledRule(rule: ScheduledRuleSpec): RuleSpec {
  const { scheduledQueries, ...spec } = rule;
  return { ...spec, logTypes: scheduledQueries.map(scheduledQueryLogType), scheduled: true };
}
