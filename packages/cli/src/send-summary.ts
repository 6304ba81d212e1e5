/** What became of one file's events, for the summary `caracal send` prints at the end. */
export interface FileTally {
  file: string;
  accepted: number;
  refused: number;
  /** Request bodies ingest took (a 413's are sent again in halves, counted as those). */
  bodies: number;
  /** Refusals by reason, each with the first event it was given for. */
  reasons: Map<string, { count: number; first: string }>;
  /** Why the file was not read to its end. */
  error?: string;
}

// A file of a million bad events must not print a million lines: the reasons are what tell the fix.
const LISTED_REASONS = 5;

export function newTally(file: string): FileTally {
  return { file, accepted: 0, refused: 0, bodies: 0, reasons: new Map() };
}

export function refuse(tally: FileTally, where: string, reason: string, count = 1): void {
  tally.refused += count;
  const seen = tally.reasons.get(reason);
  if (seen) seen.count += count;
  else tally.reasons.set(reason, { count, first: where });
}

function byCount(tally: FileTally): { reason: string; count: number; first: string }[] {
  return [...tally.reasons].map(([reason, r]) => ({ reason, count: r.count, first: r.first })).sort((a, b) => b.count - a.count);
}

export function summaryText(tallies: FileTally[]): string {
  const lines: string[] = [];
  for (const t of tallies) {
    lines.push(`${t.file}: ${t.accepted} accepted, ${t.refused} refused, in ${t.bodies} ${t.bodies === 1 ? 'request' : 'requests'}${t.error ? ` (stopped: ${t.error})` : ''}`);
    const reasons = byCount(t);
    for (const r of reasons.slice(0, LISTED_REASONS)) lines.push(`  ${r.count} × ${r.reason} (first: ${r.first})`);
    if (reasons.length > LISTED_REASONS) lines.push(`  and ${reasons.length - LISTED_REASONS} other reasons`);
  }
  return lines.join('\n');
}

export function summaryJson(tallies: FileTally[], seconds: number): string {
  return JSON.stringify({
    accepted: tallies.reduce((n, t) => n + t.accepted, 0),
    refused: tallies.reduce((n, t) => n + t.refused, 0),
    seconds: Math.round(seconds * 1000) / 1000,
    files: tallies.map((t) => ({ file: t.file, accepted: t.accepted, refused: t.refused, bodies: t.bodies, reasons: byCount(t), ...(t.error ? { error: t.error } : {}) })),
  });
}
