const MAX_LENGTH = 2000;

/**
 * What the engine said, fit to show the caller: without the echo of the
 * whole statement (which carries the service's SETTINGS), the stack trace or
 * the "Code: N. DB::Exception:" prefix, and not endlessly long.
 */
export function engineMessage(err: unknown): string {
  const e = err as { message?: unknown };
  let text = typeof e?.message === 'string' ? e.message : String(err);
  text = text.replace(/^Code: \d+\. DB::Exception: /, '');
  for (const cut of [/:? In scope /, /\. Stack trace/, / SETTINGS additional_table_filters/, /\(in query: /]) {
    const m = cut.exec(text);
    if (m) text = text.slice(0, m.index);
  }
  text = text.trim().replace(/[.:]$/, '').trim();
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}
