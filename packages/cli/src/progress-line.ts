/** A one-line progress display that redraws itself in place. */
export interface ProgressLine {
  /** Shows `text`; calls closer together than the redraw interval only keep the newest text. */
  update(text: string): void;
  /** Draws `text` (or the last text) one final time and leaves the line, so later output starts on its own line. */
  done(text?: string): void;
}

// Ten redraws a second reads as live; redrawing on every event would cost more than the work it shows.
const REDRAW_INTERVAL_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

const NO_PROGRESS: ProgressLine = { update: () => {}, done: () => {} };

/**
 * A progress line on `stream` (stderr, so stdout stays the command's
 * result), or one that writes nothing at all when `enabled` is false: the
 * caller decides, usually on `stream.isTTY`, so piped output never holds
 * carriage returns or escape codes.
 */
export function createProgress(stream: NodeJS.WritableStream, enabled: boolean, now: () => number = Date.now): ProgressLine {
  if (!enabled) return NO_PROGRESS;
  let lastDrawn = -Infinity;
  let pending: string | undefined;
  let shown = false;
  let finished = false;
  const draw = (text: string) => {
    stream.write(`${CLEAR_LINE}${text}`);
    shown = true;
    lastDrawn = now();
    pending = undefined;
  };
  return {
    update(text) {
      if (finished) return;
      // No timer: a pending text is drawn by the next update or by done, so nothing keeps the process alive.
      if (now() - lastDrawn >= REDRAW_INTERVAL_MS) draw(text);
      else pending = text;
    },
    done(text) {
      if (finished) return;
      finished = true;
      const last = text ?? pending;
      if (last !== undefined) draw(last);
      if (shown) stream.write('\n');
    },
  };
}
