import { dedupOutputs } from '@caracal/alert-stage';
import type { AlertRecord, AlertType } from '@caracal/core/messages';
import type { ReplayAlert, ReplayDedupDifference } from './detection-replay.types';

type RuleOutputs = Parameters<typeof dedupOutputs>[0];

/**
 * The alert stage's own fold (dedup window, threshold) over a replay's
 * outputs, its state held here instead of in the alerts topic. Outputs carry
 * their event's time as their time, so windows open and close by event time.
 */
export class ReplayAlerts {
  /** The open alert of each dedup key. */
  private readonly current = new Map<string, AlertRecord>();
  /** Every alert, by id: a window that closed stays. */
  private readonly all = new Map<string, AlertRecord>();

  add(outputs: RuleOutputs): void {
    if (outputs.length === 0) return;
    const { alerts } = dedupOutputs(outputs, (key) => this.current.get(key));
    for (const a of alerts) {
      this.current.set(a.dedupKey, a);
      this.all.set(a.alertId, a);
    }
  }

  /** The alerts raised (threshold reached), oldest first. */
  raised(): AlertRecord[] {
    return [...this.all.values()].filter((a) => a.thresholdReachedAt !== null).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.dedup.localeCompare(b.dedup)));
  }
}

export function toReplayAlert(a: AlertRecord): ReplayAlert {
  return {
    type: a.type,
    title: a.title,
    dedup: a.dedup,
    severity: a.severity,
    eventCount: a.eventCount,
    firstEventTime: a.firstEventTime,
    lastEventTime: a.lastEventTime,
    createdAt: a.createdAt,
    errorType: a.errorType,
    errorMessage: a.errorMessage,
  };
}

/** Alerts per (type, dedup) on each side; every key where the numbers differ, in dedup order. */
export function dedupDifferences(replay: readonly { type: AlertType; dedup: string }[], live: readonly { type: AlertType; dedup: string }[]): { same: number; differences: ReplayDedupDifference[] } {
  const counts = new Map<string, ReplayDedupDifference>();
  const entry = (a: { type: AlertType; dedup: string }) => {
    const key = `${a.type}\u0000${a.dedup}`;
    let e = counts.get(key);
    if (!e) {
      e = { dedup: a.dedup, type: a.type, replayAlerts: 0, liveAlerts: 0 };
      counts.set(key, e);
    }
    return e;
  };
  for (const a of replay) entry(a).replayAlerts += 1;
  for (const a of live) entry(a).liveAlerts += 1;
  const differences = [...counts.values()].filter((e) => e.replayAlerts !== e.liveAlerts).sort((a, b) => a.dedup.localeCompare(b.dedup) || a.type.localeCompare(b.type));
  return { same: counts.size - differences.length, differences };
}
