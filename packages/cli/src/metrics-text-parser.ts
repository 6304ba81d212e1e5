/** One sample of a metric in the Prometheus text format. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function unescape(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** `{a="1",b="x\"y"}` from its start in `line`; the labels and where the value begins. */
function readLabels(line: string, from: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  const label = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/y;
  let at = from + 1;
  for (;;) {
    if (line[at] === '}') return { labels, end: at + 1 };
    label.lastIndex = at;
    const m = label.exec(line);
    if (!m) return undefined;
    labels[m[1]] = unescape(m[2]);
    at = label.lastIndex;
  }
}

/**
 * The samples of the metric `name` in a /metrics answer. Comments and other
 * metrics are passed over, and so is a line this does not understand: the
 * status is read from whatever answered, and one odd line must not hide the rest.
 */
export function metricSamples(text: string, name: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const metric = NAME.exec(line)?.[0];
    if (metric !== name) continue;
    let labels: Record<string, string> = {};
    let rest = line.slice(metric.length);
    if (rest.startsWith('{')) {
      const read = readLabels(rest, 0);
      if (!read) continue;
      labels = read.labels;
      rest = rest.slice(read.end);
    }
    // A timestamp may follow the value.
    const value = Number(rest.trim().split(/\s+/, 1)[0]);
    if (rest.trim() === '' || Number.isNaN(value)) continue;
    out.push({ labels, value });
  }
  return out;
}
