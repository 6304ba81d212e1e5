import type { CorrelationDetection } from './content.types';
import { type CorrelationSignal, correlationMatches } from './correlation-match';

/**
 * The field paths each item of a correlation rule is joined on: its Group's
 * MatchCriteria, or the Sequence transitions into and out of it. What a
 * signal must carry of its rule match for the rule to be evaluated.
 */
export function correlationJoinPaths(detection: CorrelationDetection): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const add = (itemId: string, path: string) => {
    const list = paths.get(itemId) ?? [];
    if (!list.includes(path)) list.push(path);
    paths.set(itemId, list);
  };
  for (const entries of Object.values(detection.matchCriteria)) for (const { groupId, match } of entries) add(groupId, match);
  for (const t of detection.transitions) {
    if (!t.match) continue;
    add(t.from, t.match.from);
    add(t.to, t.match.to);
  }
  return paths;
}

/** One match of a correlation rule: the join value it is for, and the signals it was evaluated on. */
export interface CorrelationMatch {
  key: string;
  signals: CorrelationSignal[];
}

/**
 * The join values for which the rule matches at `runAtMs`, each a match of
 * its own (an alert per user, say, not one per rule): the rule is evaluated
 * on the signals that carry the value on a joined path, with the signals of
 * items joined on nothing. A rule joined on nothing matches as a whole, under
 * the key ''.
 */
export function correlationMatchKeys(detection: CorrelationDetection, signals: readonly CorrelationSignal[], runAtMs: number): CorrelationMatch[] {
  const paths = correlationJoinPaths(detection);
  if (paths.size === 0) return correlationMatches(detection, signals, runAtMs) ? [{ key: '', signals: [...signals] }] : [];
  const valuesOf = (s: CorrelationSignal): string[] =>
    (paths.get(s.itemId) ?? []).flatMap((p) => {
      const v = s.fields[p];
      return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
    });
  const unjoined = signals.filter((s) => !paths.has(s.itemId));
  const keys = [...new Set(signals.flatMap(valuesOf))].sort();
  // A signal counts for a key with that value alone on its joined paths: otherwise another value
  // it carries could complete the rule for the key (a delete by two people, one of whom queried first).
  const narrowed = (s: CorrelationSignal, key: string): CorrelationSignal => {
    const fields = { ...s.fields };
    for (const p of paths.get(s.itemId) ?? []) {
      const v = fields[p];
      if (v === undefined) continue;
      if (typeof v === 'string' ? v === key : v.includes(key)) fields[p] = key;
      else delete fields[p];
    }
    return { ...s, fields };
  };
  return keys
    .map((key) => ({ key, signals: [...unjoined, ...signals.filter((s) => valuesOf(s).includes(key))] }))
    .filter((m) => correlationMatches(detection, m.signals.map((s) => (paths.has(s.itemId) ? narrowed(s, m.key) : s)), runAtMs));
}
