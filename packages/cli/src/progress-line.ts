/** A one-line progress display that redraws itself in place. */
export interface ProgressLine {
  /** False when nothing is drawn at all (not a terminal, or --no-progress). */
  readonly enabled: boolean;
  /** Shows `text`; calls closer together than the redraw interval only keep the newest text. */
  update(text: string): void;
  /**
   * Ends the line so that later output starts clean: with `text`, draws it a
   * last time and keeps it (a final tally); without, wipes the line (the
   * command's report follows and says the rest).
   */
  done(text?: string): void;
}

// Ten redraws a second reads as live; redrawing on every event would cost more than the work it shows.
const REDRAW_INTERVAL_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

const NO_PROGRESS: ProgressLine = { enabled: false, update: () => {}, done: () => {} };

/**
 * A progress line on `stream` (stderr, so stdout stays the command's
 * result), or one that writes nothing at all when `enabled` is false: the
 * caller decides, usually on `stream.isTTY`, so piped output never holds
 * carriage returns or escape codes.
 */
export function createProgress(stream: NodeJS.WritableStream & { columns?: number }, enabled: boolean, now: () => number = Date.now): ProgressLine {
  if (!enabled) return NO_PROGRESS;
  let lastDrawn = -Infinity;
  let shown = false;
  let finished = false;
  const draw = (text: string) => {
    // Wider than the terminal would wrap, and the carriage return would then redraw only the last row.
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : text.length;
    stream.write(`${CLEAR_LINE}${text.slice(0, width)}`);
    shown = true;
    lastDrawn = now();
  };
  return {
    enabled: true,
    update(text) {
      if (finished) return;
      // No timer: between redraws only the newest text matters, and the next update or done shows it.
      if (now() - lastDrawn >= REDRAW_INTERVAL_MS) draw(text);
    },
    done(text) {
      if (finished) return;
      finished = true;
      if (text !== undefined) {
        draw(text);
        stream.write('\n');
      } else if (shown) {
        stream.write(CLEAR_LINE);
      }
    },
  };
}
