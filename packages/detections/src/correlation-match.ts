import type { CorrelationDetection, CorrelationItem, CorrelationTransition } from './content.types';

const MINUTE_MS = 60_000;

/** One signal of one item of a correlation rule: when it came, and the fields it can be joined on. */
export interface CorrelationSignal {
  /** The item (its ID in the rule) the signal counts for. */
  itemId: string;
  atMs: number;
  /** Field path -> value; a list matches a value it holds. */
  fields: Record<string, string | readonly string[]>;
  /** The rule match it is (its p_row_id), for whoever reports the match; not read here. */
  id?: string;
}

function valuesAt(signal: CorrelationSignal, path: string): readonly string[] {
  const value = signal.fields[path];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/**
 * Whether a correlation rule matches the signals of one run, the run being
 * at `runAtMs` (default: the newest signal's time). Only signals within the
 * lookback window before the run count. See docs/decisions/0026 for the
 * semantics and where each part of them comes from.
 */
export function correlationMatches(detection: CorrelationDetection, signals: readonly CorrelationSignal[], runAtMs?: number): boolean {
  if (signals.length === 0) return false;
  const at = runAtMs ?? Math.max(...signals.map((s) => s.atMs));
  const from = at - detection.lookbackWindowMinutes * MINUTE_MS;
  const inWindow = signals.filter((s) => s.atMs >= from && s.atMs <= at);
  return detection.kind === 'group' ? groupMatches(detection, inWindow) : sequenceMatches(detection, inWindow);
}

/**
 * A Group, in any order: for one join value shared by all, every present
 * item (or the group's MinMatchCount of them) has its count of signals, and
 * no absent item has any, before or after the others.
 */
function groupMatches(detection: CorrelationDetection, signals: readonly CorrelationSignal[]): boolean {
  const pathsOf = new Map<string, string[]>();
  for (const entries of Object.values(detection.matchCriteria)) {
    for (const { groupId, match } of entries) pathsOf.set(groupId, [...(pathsOf.get(groupId) ?? []), match]);
  }
  const joins = pathsOf.size > 0;
  const candidates: (string | undefined)[] = joins ? [...new Set(signals.flatMap((s) => (pathsOf.get(s.itemId) ?? []).flatMap((p) => valuesAt(s, p))))] : [undefined];
  const present = detection.items.filter((i) => !i.absence);
  const needed = detection.minMatchCount ?? present.length;
  const countOf = (item: CorrelationItem, value: string | undefined): number => {
    const paths = pathsOf.get(item.id) ?? [];
    return signals.filter((s) => s.itemId === item.id && (value === undefined || paths.every((p) => valuesAt(s, p).includes(value)))).length;
  };
  return candidates.some((value) => {
    if (detection.items.some((item) => item.absence && countOf(item, value) > 0)) return false;
    const met = present.filter((item) => {
      const n = countOf(item, value);
      return n >= item.minMatchCount && (item.maxMatchCount === undefined || n <= item.maxMatchCount);
    }).length;
    return met >= needed;
  });
}

interface StepLink {
  /** The time frame after the step before, in ms. */
  withinMs: number;
  match?: { from: string; to: string };
}

/**
 * A Sequence, in its order: each present step's signals come after the step
 * before it, within the transition's time frame, joined on one shared value.
 * An absent last step means "not followed by" within the time frame; an
 * absent first step, "not preceded by"; an absent step between two others,
 * none of its signals between them.
 */
function sequenceMatches(detection: CorrelationDetection, signals: readonly CorrelationSignal[]): boolean {
  const steps = detection.items;
  const linkInto = (i: number): StepLink => {
    const t: CorrelationTransition | undefined = i > 0 ? detection.transitions.find((x) => x.from === steps[i - 1].id && x.to === steps[i].id) : undefined;
    return { withinMs: (t?.withinTimeFrameMinutes ?? detection.lookbackWindowMinutes) * MINUTE_MS, match: t?.match };
  };
  // Each step's signals, oldest first, sorted once for the whole search.
  const stepSignals = steps.map((step) => signals.filter((s) => s.itemId === step.id).sort((a, b) => a.atMs - b.atMs));
  const ofStep = (i: number) => stepSignals[i];

  // The values a signal may carry on into the chain: those it shares with what came before.
  const joined = (value: string | undefined, prev: CorrelationSignal | undefined, next: CorrelationSignal, link: StepLink): (string | undefined)[] => {
    if (!link.match || !prev) return [value];
    const before = valuesAt(prev, link.match.from);
    const after = new Set(valuesAt(next, link.match.to));
    return before.filter((v) => after.has(v) && (value === undefined || v === value));
  };

  const absentBetween = (i: number, prev: CorrelationSignal | undefined, fromMs: number, toMs: number, next: CorrelationSignal | undefined, value: string | undefined): boolean => {
    const intoAbsent = linkInto(i);
    const outOfAbsent = i + 1 < steps.length ? linkInto(i + 1) : undefined;
    return ofStep(i).some((s) => {
      if (s.atMs < fromMs || s.atMs > toMs) return false;
      if (prev && intoAbsent.match && joined(value, prev, s, intoAbsent).length === 0) return false;
      if (next && outOfAbsent?.match && joined(value, s, next, outOfAbsent).length === 0) return false;
      return true;
    });
  };

  const walk = (i: number, prev: CorrelationSignal | undefined, value: string | undefined, pendingAbsent: number | undefined): boolean => {
    if (i === steps.length) return true;
    const step = steps[i];
    if (step.absence) {
      if (i === steps.length - 1) {
        // Not followed by: nothing of it within the time frame after the step before.
        const after = prev ? prev.atMs : Number.NEGATIVE_INFINITY;
        return !absentBetween(i, prev, after, after + linkInto(i).withinMs, undefined, value);
      }
      return walk(i + 1, prev, value, i);
    }
    const link = pendingAbsent !== undefined && prev ? linkInto(pendingAbsent) : linkInto(i);
    // After an absent step, this step is joined to the chain through the absent step's transition into it.
    const carried = (s: CorrelationSignal): (string | undefined)[] => {
      if (pendingAbsent === undefined) return joined(value, prev, s, linkInto(i));
      const match = linkInto(i).match;
      return match ? valuesAt(s, match.to).filter((v) => value === undefined || v === value) : [value];
    };
    const qualifying = ofStep(i).filter((s) => !prev || (s.atMs >= prev.atMs && s.atMs <= prev.atMs + link.withinMs));
    // Each way this step's signals can carry the chain on: per shared value, its MinMatchCount-th signal.
    const byValue = new Map<string | undefined, CorrelationSignal[]>();
    for (const s of qualifying) {
      for (const v of carried(s)) byValue.set(v, [...(byValue.get(v) ?? []), s]);
    }
    for (const [v, list] of byValue) {
      if (list.length < step.minMatchCount || (step.maxMatchCount !== undefined && list.length > step.maxMatchCount)) continue;
      const completing = list[step.minMatchCount - 1];
      if (pendingAbsent !== undefined) {
        // The absent step before this one: none of its signals since the step before it (or, first, within its time frame before this one).
        const fromMs = prev ? prev.atMs : completing.atMs - linkInto(pendingAbsent + 1).withinMs;
        if (absentBetween(pendingAbsent, prev, fromMs, completing.atMs, completing, v)) continue;
      }
      if (walk(i + 1, completing, v, undefined)) return true;
    }
    return false;
  };
  return walk(0, undefined, undefined, undefined);
}
