/**
 * Whether a RuleID matches a `--filter` value: the whole id, exactly (case
 * matters, as RuleIDs are looked up exactly everywhere else), with `*` standing
 * for any run of characters.
 */
export function ruleIdMatches(pattern: string, ruleId: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(ruleId);
}

/**
 * The items any pattern selects (all of them without patterns), in their
 * order, and the patterns that selected nothing: a typo there must not pass as
 * "no tests failed".
 */
export function selectByRuleId<T extends { ruleId: string }>(
  items: readonly T[],
  patterns: readonly string[],
): { selected: T[]; unmatched: string[] } {
  if (patterns.length === 0) return { selected: [...items], unmatched: [] };
  const selected = items.filter((item) => patterns.some((p) => ruleIdMatches(p, item.ruleId)));
  const unmatched = patterns.filter((p) => !items.some((item) => ruleIdMatches(p, item.ruleId)));
  return { selected, unmatched };
}
