const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration as flags take it (24h, 30m, 1h30m, 7d) in seconds; undefined when the text is not one. */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[smhd])+$/.test(trimmed)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) seconds += Number(n) * UNIT_SECONDS[unit];
  return seconds;
}
