import type { MatchExpression } from './content.types';
import { checkMatchExpressions } from './match-expression';
import type { SpecReader } from './spec-reader';

/**
 * A rule's InlineFilters: match expressions an event must pass for the rule
 * to run on it. `unsupported` names a construct Caracal does not evaluate: the
 * rule is then not run at all rather than run with a filter ignored.
 */
export function parseInlineFilters(reader: SpecReader): { filters?: MatchExpression[]; unsupported?: string } {
  if (!reader.has('InlineFilters')) return {};
  const checked = checkMatchExpressions(reader.raw('InlineFilters'), 'InlineFilters', { context: 'filter' });
  for (const { key, problem } of checked.problems) reader.fail(key, problem);
  if (checked.unsupported !== undefined) return { unsupported: `InlineFilters use ${checked.unsupported}, which Caracal does not evaluate yet` };
  // An empty list, or only empty groups (`- All: []`, common upstream), filters nothing.
  return checked.expressions && checked.expressions.length > 0 ? { filters: checked.expressions } : {};
}
