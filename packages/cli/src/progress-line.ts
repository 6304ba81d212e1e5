/** One status line on a terminal, redrawn in place; nothing at all when disabled. */
export interface ProgressLine {
  readonly enabled: boolean;
  update(text: string): void;
  /** Clears the line (or replaces it with `text`, kept), so that what follows starts on a clean line. */
  done(text?: string): void;
}

/** Redraws at most this often: a terminal repainting faster than the eye reads only costs the sender time. */
const MIN_REDRAW_MS = 100;

export function createProgress(stream: NodeJS.WritableStream & { columns?: number }, enabled: boolean, now: () => number = Date.now): ProgressLine {
  if (!enabled) return { enabled: false, update: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  const draw = (text: string) => {
    // Wider than the terminal would wrap, and \r would then redraw only the last row.
    const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : text.length;
    stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    drawn = true;
  };
  return {
    enabled: true,
    update(text) {
      const t = now();
      if (t - last < MIN_REDRAW_MS) return;
      last = t;
      draw(text);
    },
    done(text) {
      if (text !== undefined) stream.write(`${drawn ? '\r\x1b[2K' : ''}${text}\n`);
      else if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
