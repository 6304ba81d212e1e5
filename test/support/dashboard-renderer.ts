import type { Panel } from './grafana-schema';

// Draws a Grafana dashboard's panels from the data its own targets return:
// PromQL through Prometheus's HTTP API, the lake dashboard's SQL through a
// ClickHouse client (chDB here). Grafana itself cannot be had from the
// registries this project's machines reach (decision 0032), so this page
// stands in for it: same queries, same variables and macros, plain SVG.

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export interface Series {
  name: string;
  points: [number, number][];
}

export type PanelData =
  | { kind: 'timeseries'; series: Series[] }
  | { kind: 'stat'; value: number | undefined }
  | { kind: 'table'; columns: string[]; rows: (string | number)[][] }
  | { kind: 'barchart'; categories: string[]; series: { name: string; values: number[] }[] };

export interface PanelResult {
  panel: Panel;
  /** The queries as sent, macros and variables expanded. */
  queries: string[];
  data: PanelData;
}

export interface SqlAnswer {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
}

export interface RenderContext {
  range: TimeRange;
  prometheusUrl?: string;
  /** Prometheus's scrape interval, which Grafana's $__rate_interval is built on. */
  scrapeSeconds?: number;
  runSql?: (sql: string) => Promise<SqlAnswer>;
}

type Target = Record<string, unknown> & { refId: string };

// ------------------------------------------------------------ PromQL side --

/** The values of the dashboard's variables when "All" is chosen (each one's allValue). */
export function allVariableValues(dashboard: Record<string, unknown>): Record<string, string> {
  const list = ((dashboard.templating as { list?: Record<string, unknown>[] } | undefined)?.list ?? []);
  const values: Record<string, string> = {};
  for (const v of list) {
    if (v.includeAll !== true || typeof v.allValue !== 'string') throw new Error(`variable ${String(v.name)}: only "All" variables with an allValue are rendered`);
    values[String(v.name)] = v.allValue;
  }
  return values;
}

/** Step of a range query: about 240 points over the range, never finer than a scrape. */
export function stepSeconds(range: TimeRange, scrapeSeconds: number): number {
  return Math.max(scrapeSeconds, Math.ceil((range.toMs - range.fromMs) / 1000 / 240));
}

/** Grafana's built-in variables and the dashboard's own, expanded as Grafana would. */
export function expandPromQL(expr: string, range: TimeRange, scrapeSeconds: number, variables: Record<string, string>): string {
  const step = stepSeconds(range, scrapeSeconds);
  const builtIn: Record<string, string> = {
    __rate_interval: `${Math.max(step + scrapeSeconds, 4 * scrapeSeconds)}s`,
    __range: `${Math.max(1, Math.round((range.toMs - range.fromMs) / 1000))}s`,
    __interval: `${step}s`,
  };
  const all = { ...builtIn, ...variables };
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (!(name in all)) throw new Error(`unknown variable $${name} in ${expr}`);
    return all[name];
  });
}

interface PromSample {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

async function prometheus(url: string, api: 'query' | 'query_range', params: Record<string, string>): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/${api}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: PromSample[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${params.query}: ${body.error ?? res.status}`);
  return body.data!.result;
}

/** Asks Prometheus to evaluate the expression once: its answer is the parse check. */
export async function checkPromQL(url: string, expr: string): Promise<void> {
  await prometheus(url, 'query', { query: expr });
}

function legend(format: unknown, metric: Record<string, string>, fallback: string): string {
  if (typeof format !== 'string' || format === '') return fallback;
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, label: string) => metric[label] ?? '');
}

async function promPanel(panel: Panel, dashboard: Record<string, unknown>, ctx: RenderContext): Promise<PanelResult> {
  if (!ctx.prometheusUrl) throw new Error(`panel ${panel.title}: no Prometheus to ask`);
  const scrape = ctx.scrapeSeconds ?? 15;
  const vars = allVariableValues(dashboard);
  const targets = (panel.targets ?? []) as Target[];
  const queries = targets.map((t) => expandPromQL(String(t.expr), ctx.range, scrape, vars));
  const endSeconds = ctx.range.toMs / 1000;
  if (panel.type === 'timeseries') {
    const series: Series[] = [];
    for (const [i, t] of targets.entries()) {
      const result = await prometheus(ctx.prometheusUrl, 'query_range', {
        query: queries[i],
        start: String(ctx.range.fromMs / 1000),
        end: String(endSeconds),
        step: String(stepSeconds(ctx.range, scrape)),
      });
      for (const s of result) {
        const points = (s.values ?? []).map(([ts, v]) => [ts * 1000, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v));
        if (points.length > 0) series.push({ name: legend(t.legendFormat, s.metric, t.refId), points });
      }
    }
    return { panel, queries, data: { kind: 'timeseries', series } };
  }
  const answers = await Promise.all(queries.map((query) => prometheus(ctx.prometheusUrl!, 'query', { query, time: String(endSeconds) })));
  if (panel.type === 'stat') {
    const values = answers.flat().map((s) => Number(s.value?.[1])).filter(Number.isFinite);
    return { panel, queries, data: { kind: 'stat', value: values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined } };
  }
  if (panel.type === 'table') {
    const samples = answers.flat();
    const labels = [...new Set(samples.flatMap((s) => Object.keys(s.metric)))].filter((l) => l !== '__name__').sort();
    const columns = [...labels, 'Value'];
    const rows = samples.map((s) => [...labels.map((l) => s.metric[l] ?? ''), Number(s.value?.[1])]);
    return { panel, queries, data: { kind: 'table', columns, rows: sortRows(panel, columns, rows) } };
  }
  throw new Error(`panel ${panel.title}: a Prometheus ${panel.type} panel is not drawn here`);
}

// ------------------------------------------------------------- SQL side --

/** The argument of a macro call starting at `open` (the parenthesis), parentheses balanced. */
function macroArgument(sql: string, open: number): { arg: string; end: number } {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (sql[i] === '(') depth += 1;
    else if (sql[i] === ')' && --depth === 0) return { arg: sql.slice(open + 1, i), end: i + 1 };
  }
  throw new Error(`unbalanced parentheses after position ${open} in ${sql}`);
}

/** Grouping interval of the SQL time series: about 60 buckets over the range, at least a minute. */
export function sqlIntervalSeconds(range: TimeRange): number {
  return Math.max(60, Math.ceil((range.toMs - range.fromMs) / 1000 / 60 / 60) * 60);
}

/**
 * The ClickHouse data source plugin's macros used by the lake dashboard,
 * expanded the way the plugin documents them: $__timeFilter(column) bounds the
 * column to the range, $__timeInterval(column) rounds it down to the interval.
 */
export function expandClickHouseMacros(sql: string, range: TimeRange): string {
  const from = `toDateTime64(${range.fromMs / 1000}, 3, 'UTC')`;
  const to = `toDateTime64(${range.toMs / 1000}, 3, 'UTC')`;
  const macros: Record<string, (arg: string) => string> = {
    $__timeFilter: (col) => `(${col} >= ${from} AND ${col} <= ${to})`,
    $__timeInterval: (col) => `toStartOfInterval(toDateTime(${col}, 'UTC'), INTERVAL ${sqlIntervalSeconds(range)} SECOND)`,
  };
  let out = '';
  let i = 0;
  for (;;) {
    const next = sql.indexOf('$__', i);
    if (next < 0) return out + sql.slice(i);
    const name = /^\$__\w+/.exec(sql.slice(next))![0];
    const expand = macros[name];
    if (!expand || sql[next + name.length] !== '(') throw new Error(`macro ${name} is not expanded here`);
    const { arg, end } = macroArgument(sql, next + name.length);
    out += sql.slice(i, next) + expand(arg.trim());
    i = end;
  }
}

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/;

async function sqlPanel(panel: Panel, ctx: RenderContext): Promise<PanelResult> {
  if (!ctx.runSql) throw new Error(`panel ${panel.title}: no lake to ask`);
  const targets = (panel.targets ?? []) as Target[];
  const queries = targets.map((t) => expandClickHouseMacros(String(t.rawSql), ctx.range));
  const answers = [];
  for (const q of queries) answers.push(await ctx.runSql(q));
  const [first] = answers;
  const numeric = (a: SqlAnswer) => a.meta.filter((m) => NUMERIC.test(m.type)).map((m) => m.name);
  if (panel.type === 'stat') {
    const col = numeric(first)[0];
    const value = first.data[0] && col ? Number(first.data[0][col]) : undefined;
    return { panel, queries, data: { kind: 'stat', value } };
  }
  if (panel.type === 'timeseries') {
    const byName = new Map<string, Series>();
    for (const a of answers) {
      const time = a.meta[0].name;
      const values = numeric(a);
      const labels = a.meta.map((m) => m.name).filter((n) => n !== time && !values.includes(n));
      for (const row of a.data) {
        const t = Date.parse(`${String(row[time]).replace(' ', 'T')}Z`);
        for (const v of values) {
          const name = [...labels.map((l) => String(row[l])), ...(values.length > 1 ? [v] : [])].join(' ') || v;
          const s = byName.get(name) ?? { name, points: [] };
          s.points.push([t, Number(row[v])]);
          byName.set(name, s);
        }
      }
    }
    return { panel, queries, data: { kind: 'timeseries', series: [...byName.values()] } };
  }
  if (panel.type === 'barchart') {
    const x = String((panel.options as { xField?: string } | undefined)?.xField ?? first.meta[0].name);
    const values = numeric(first).filter((n) => n !== x);
    return {
      panel,
      queries,
      data: { kind: 'barchart', categories: first.data.map((r) => String(r[x])), series: values.map((v) => ({ name: v, values: first.data.map((r) => Number(r[v])) })) },
    };
  }
  const columns = first.meta.map((m) => m.name);
  const rows = first.data.map((r) => columns.map((c) => (typeof r[c] === 'number' ? (r[c] as number) : String(r[c]))));
  return { panel, queries, data: { kind: 'table', columns, rows: sortRows(panel, columns, rows) } };
}

function sortRows(panel: Panel, columns: string[], rows: (string | number)[][]): (string | number)[][] {
  const by = (panel.options as { sortBy?: { displayName: string; desc?: boolean }[] } | undefined)?.sortBy?.[0];
  const col = by ? columns.indexOf(by.displayName) : -1;
  if (col < 0) return rows;
  return [...rows].sort((a, b) => (Number(a[col]) - Number(b[col])) * (by!.desc ? -1 : 1));
}

/** Runs every panel's targets against the data source its datasource names. */
export async function queryDashboard(dashboard: Record<string, unknown>, panels: Panel[], ctx: RenderContext): Promise<PanelResult[]> {
  const results: PanelResult[] = [];
  for (const panel of panels) {
    const type = (panel.datasource as { type?: string } | undefined)?.type;
    if (type === 'prometheus') results.push(await promPanel(panel, dashboard, ctx));
    else if (type === 'grafana-clickhouse-datasource') results.push(await sqlPanel(panel, ctx));
    else throw new Error(`panel ${panel.title}: data source type ${type} is not drawn here`);
  }
  return results;
}

// ------------------------------------------------------------- the page --

const PAGE_WIDTH = 1600;
const ROW_PX = 30;
// Grafana's named colours, as the dashboards' fixedColor values use them.
const NAMED: Record<string, string> = { green: '#73bf69', yellow: '#fade2a', orange: '#ff9830', red: '#f2495c', blue: '#5794f2', purple: '#b877d9' };
const COLORS = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#705da0', '#37872d', '#fade2a', '#447ebc', '#c4162a'];

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A value in the panel's unit, short (Grafana's unit ids: s, eps, short). */
export function formatValue(v: number, unit: string | undefined): string {
  if (!Number.isFinite(v)) return '-';
  if (unit === 's') {
    if (v === 0) return '0 s';
    if (v < 0.001) return `${(v * 1e6).toFixed(0)} µs`;
    if (v < 1) return `${(v * 1000).toFixed(v < 0.01 ? 2 : 1)} ms`;
    return `${v.toFixed(2)} s`;
  }
  const abs = Math.abs(v);
  const short = abs >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : abs >= 1e3 ? `${(v / 1e3).toFixed(1)}K` : abs >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(2);
  return unit === 'eps' ? `${short}/s` : short;
}

/** HH:MM, with seconds when the range is too short for minutes to tell the ticks apart. */
function timeLabel(ms: number, range: TimeRange): string {
  return new Date(ms).toISOString().slice(11, range.toMs - range.fromMs < 600_000 ? 19 : 16);
}

/** A round tick step (1, 2 or 5 times a power of ten) with four steps covering `max`. */
function niceStep(max: number): number {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

/** A series' colour: an override by name in the panel (as Grafana applies it), else the palette's. */
function seriesColor(panel: Panel, name: string, index: number): string {
  const overrides = ((panel.fieldConfig as { overrides?: { matcher: { id: string; options?: unknown }; properties: { id: string; value?: { fixedColor?: string } }[] }[] } | undefined)?.overrides) ?? [];
  for (const o of overrides) {
    if (o.matcher.id !== 'byName' || o.matcher.options !== name) continue;
    const color = o.properties.find((p) => p.id === 'color')?.value?.fixedColor;
    if (color) return NAMED[color] ?? color;
  }
  return COLORS[index % COLORS.length];
}

function timeseriesSvg(data: Extract<PanelData, { kind: 'timeseries' }>, panel: Panel, range: TimeRange, width: number, height: number): string {
  const unit = (panel.fieldConfig as { defaults?: { unit?: string } } | undefined)?.defaults?.unit;
  const custom = (panel.fieldConfig as { defaults?: { custom?: { drawStyle?: string; stacking?: { mode?: string } } } } | undefined)?.defaults?.custom;
  const bars = custom?.drawStyle === 'bars';
  const stacked = custom?.stacking?.mode === 'normal';
  const left = 64;
  const bottom = 20;
  const plotW = width - left - 8;
  const plotH = height - bottom - 8;
  // Stacked series are drawn on top of the ones before them, summed per timestamp.
  const base = new Map<number, number>();
  const drawn = data.series.map((s) => {
    const points = s.points.map(([t, v]) => {
      const b = stacked ? (base.get(t) ?? 0) : 0;
      if (stacked) base.set(t, b + v);
      return [t, b, b + v] as [number, number, number];
    });
    return { name: s.name, points };
  });
  const max = niceStep(Math.max(0, ...drawn.flatMap((s) => s.points.map(([, , top]) => top))) || 1) * 4;
  const x = (t: number) => left + ((t - range.fromMs) / (range.toMs - range.fromMs)) * plotW;
  const y = (v: number) => 8 + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#2c3235"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${esc(formatValue(v, unit))}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const t = range.fromMs + ((range.toMs - range.fromMs) * i) / 5;
    parts.push(`<text x="${x(t)}" y="${height - 4}" text-anchor="${i === 5 ? 'end' : i === 0 ? 'start' : 'middle'}">${timeLabel(t, range)}</text>`);
  }
  const barW = Math.max(2, plotW / 80);
  drawn.forEach((s, i) => {
    const color = seriesColor(panel, s.name, i);
    if (bars) {
      for (const [t, b, top] of s.points) parts.push(`<rect x="${x(t) - barW / 2}" y="${y(top)}" width="${barW}" height="${Math.max(0, y(b) - y(top))}" fill="${color}"/>`);
    } else {
      const line = s.points.map(([t, , top]) => `${x(t).toFixed(1)},${y(top).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${line}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    }
  });
  return `<svg width="${width}" height="${height}">${parts.join('')}</svg>`;
}

function legendHtml(data: Extract<PanelData, { kind: 'timeseries' }>, panel: Panel, unit: string | undefined): string {
  const rows = data.series.map((s, i) => {
    const values = s.points.map(([, v]) => v);
    return `<tr><td><span class="swatch" style="background:${seriesColor(panel, s.name, i)}"></span>${esc(s.name)}</td><td>${esc(formatValue(values[values.length - 1], unit))}</td><td>${esc(formatValue(Math.max(...values), unit))}</td></tr>`;
  });
  return `<table class="legend"><tr><th></th><th>Last</th><th>Max</th></tr>${rows.join('')}</table>`;
}

function panelBody(result: PanelResult, range: TimeRange, width: number, height: number): string {
  const { data, panel } = result;
  const defaults = (panel.fieldConfig as { defaults?: { unit?: string; decimals?: number; color?: { fixedColor?: string } } } | undefined)?.defaults;
  const noData = '<div class="nodata">No data</div>';
  switch (data.kind) {
    case 'stat': {
      if (data.value === undefined) return noData;
      // increase() extrapolates to the range's ends; the panel's decimals round it as Grafana would.
      const value = defaults?.decimals === undefined ? data.value : Number(data.value.toFixed(defaults.decimals));
      return `<div class="stat" style="color:${esc(NAMED[defaults?.color?.fixedColor ?? 'blue'] ?? defaults?.color?.fixedColor)}">${esc(formatValue(value, defaults?.unit))}</div>`;
    }
    case 'timeseries': {
      if (data.series.length === 0) return noData;
      const legendW = Math.min(360, Math.round(width * 0.42));
      return `<div class="ts">${timeseriesSvg(data, panel, range, width - legendW, height)}${legendHtml(data, panel, defaults?.unit)}</div>`;
    }
    case 'table': {
      if (data.rows.length === 0) return noData;
      const head = data.columns.map((c) => `<th>${esc(c)}</th>`).join('');
      const round = (c: number) => (defaults?.decimals === undefined ? c : Number(c.toFixed(defaults.decimals)));
      const body = data.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(typeof c === 'number' ? formatValue(round(c), undefined) : c)}</td>`).join('')}</tr>`).join('');
      return `<table class="grid"><tr>${head}</tr>${body}</table>`;
    }
    case 'barchart': {
      if (data.categories.length === 0) return noData;
      const totals = data.categories.map((_, i) => data.series.reduce((a, s) => a + s.values[i], 0));
      const max = Math.max(1, ...totals);
      const labelW = 140;
      const barH = Math.min(28, (height - 30) / data.categories.length - 6);
      const parts: string[] = [];
      data.categories.forEach((cat, i) => {
        const top = 4 + i * (barH + 6);
        parts.push(`<text x="${labelW - 6}" y="${top + barH / 2 + 4}" text-anchor="end">${esc(cat)}</text>`);
        let at = labelW;
        data.series.forEach((s, j) => {
          const w = (s.values[i] / max) * (width - labelW - 40);
          if (w > 0) parts.push(`<rect x="${at}" y="${top}" width="${w}" height="${barH}" fill="${seriesColor(panel, s.name, j)}"/>`);
          at += w;
        });
        parts.push(`<text x="${at + 4}" y="${top + barH / 2 + 4}">${totals[i]}</text>`);
      });
      const keys = data.series.map((s, j) => `<span><span class="swatch" style="background:${seriesColor(panel, s.name, j)}"></span>${esc(s.name)}</span>`).join(' ');
      return `<svg width="${width}" height="${height - 24}">${parts.join('')}</svg><div class="keys">${keys}</div>`;
    }
  }
}

/** The dashboard as one HTML page: Grafana's 24-column grid, a dark theme, each panel drawn from its result. */
export function dashboardPage(dashboard: Record<string, unknown>, results: PanelResult[], range: TimeRange, note: string): string {
  const colPx = PAGE_WIDTH / 24;
  const panels = results.map((r) => {
    const grid = r.panel.gridPos as { x: number; y: number; w: number; h: number };
    const width = Math.round(grid.w * colPx) - 26;
    const height = grid.h * ROW_PX - 44;
    return `<section class="panel" data-panel-id="${r.panel.id}" data-kind="${r.data.kind}" style="grid-column:${grid.x + 1}/span ${grid.w};grid-row:${grid.y + 1}/span ${grid.h}">
<h2 title="${esc(r.panel.description ?? '')}">${esc(r.panel.title)}</h2><div class="body">${panelBody(r, range, width, height)}</div></section>`;
  });
  const span = `${new Date(range.fromMs).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(range.toMs).toISOString().slice(11, 16)} UTC`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(dashboard.title)}</title><style>
body{margin:0;background:#111217;color:#ccccdc;font:12px/1.4 Inter,Helvetica,Arial,sans-serif;width:${PAGE_WIDTH}px}
header{display:flex;justify-content:space-between;align-items:baseline;padding:10px 12px}
header h1{font-size:18px;margin:0;color:#fff;font-weight:500} header .range{color:#8e8e9e}
.grid24{display:grid;grid-template-columns:repeat(24,1fr);grid-auto-rows:${ROW_PX}px;gap:6px;padding:0 8px 8px}
.panel{background:#181b1f;border:1px solid #2c3235;border-radius:2px;overflow:hidden;display:flex;flex-direction:column}
.panel h2{font-size:13px;font-weight:500;margin:0;padding:6px 8px;color:#d8d9da}
.body{flex:1;padding:0 8px 6px;overflow:hidden} svg text{fill:#8e8e9e;font-size:10px}
.stat{font-size:40px;font-weight:500;text-align:center;line-height:70px}
.nodata{color:#8e8e9e;text-align:center;margin-top:20%}
.ts{display:flex} .legend{font-size:11px;border-collapse:collapse;align-self:flex-start;margin-left:6px}
.legend td,.legend th{padding:1px 6px;text-align:right;white-space:nowrap;max-width:220px;overflow:hidden;text-overflow:ellipsis}
.legend td:first-child{text-align:left} .swatch{display:inline-block;width:10px;height:4px;margin-right:5px;vertical-align:middle}
table.grid{border-collapse:collapse;width:100%;font-size:11px} table.grid th{text-align:left;color:#6e9fff;border-bottom:1px solid #2c3235;padding:3px 6px}
table.grid td{border-bottom:1px solid #22252b;padding:3px 6px;white-space:nowrap} .keys{font-size:11px}
footer{color:#6e6e7e;padding:0 12px 10px;font-size:11px}
</style></head><body><header><h1>${esc(dashboard.title)}</h1><span class="range">${esc(span)}</span></header>
<div class="grid24">${panels.join('\n')}</div><footer>${esc(note)}</footer></body></html>`;
}
