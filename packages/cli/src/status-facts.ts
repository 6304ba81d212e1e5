import { CaracalError, describeError, RecentError, RECENT_ERRORS_KEPT, RunMode } from '@caracal/core';
import { PIPELINE_STAGES, ProcessStatusReport } from '@caracal/runtime';
import { MetricSample, metricSamples } from './metrics-text-parser';

/** One process as its ops endpoint describes it, or why it could not be read. */
export interface ProcessFacts {
  url: string;
  up: boolean;
  ready: boolean;
  pid?: number;
  mode?: RunMode;
  services: string[];
  startedAt?: string;
  /** The checks that fail, as "check: reason"; "(advisory)" ones leave the process ready. */
  notReady: string[];
  /** Why the endpoint could not be read; set exactly when `up` is false. */
  error?: string;
}

export interface StageFacts {
  id: string;
  label: string;
  groups: string[];
  /** Messages not yet handled, summed over the groups' partitions; null when no process reported one of its groups. */
  lag: number | null;
}

export interface DeadLetterFacts {
  group: string;
  reason: string;
  count: number;
}

export interface ErrorFacts extends RecentError {
  /** The ops URL of the process that logged it. */
  process: string;
}

/** Everything `caracal status` shows, in the shape `--format json` prints. */
export interface StatusFacts {
  /** Every process asked is up and ready (and there was at least one). */
  ok: boolean;
  mode: RunMode;
  dataDir: { path: string; bytes: number | null };
  processes: ProcessFacts[];
  /** Processes recorded in the data dir that no longer exist. */
  stalePids: number[];
  stages: StageFacts[];
  deadLetters: DeadLetterFacts[];
  /** Newest first, all processes together. */
  errors: ErrorFacts[];
}

/** What one process's endpoint answered. */
export interface ProcessAnswer {
  url: string;
  status?: ProcessStatusReport;
  metrics?: string;
  error?: string;
}

const LAG_METRIC = 'caracal_consumer_lag_messages';
const DEAD_LETTER_METRIC = 'caracal_consumer_dead_letters_total';
// /statusz runs the readiness probes, each bounded at 2 s; this leaves them room.
const REQUEST_TIMEOUT_MS = 5_000;

async function get(url: string, accept: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new CaracalError('UNAVAILABLE', `${url} did not answer: ${cause?.code ?? describeError(err)}`, { cause: err, retriable: true });
  }
  const body = await res.text();
  if (!res.ok) throw new CaracalError('UNAVAILABLE', `${url} answered HTTP ${res.status}${res.status === 404 ? ' (is it the ops endpoint, CARACAL_OPS_PORT, of a Caracal process?)' : ''}`, { retriable: true });
  return body;
}

/** Reads one process's /statusz and /metrics; a process that does not answer is reported, not thrown. */
export async function askProcess(url: string): Promise<ProcessAnswer> {
  try {
    const [statusText, metrics] = await Promise.all([get(`${url}/statusz`, 'application/json'), get(`${url}/metrics`, 'text/plain')]);
    let status: ProcessStatusReport;
    try {
      status = JSON.parse(statusText) as ProcessStatusReport;
    } catch (err) {
      throw new CaracalError('UNAVAILABLE', `${url}/statusz did not answer JSON`, { cause: err });
    }
    return { url, status, metrics };
  } catch (err) {
    return { url, error: describeError(err) };
  }
}

function processFacts(answer: ProcessAnswer): ProcessFacts {
  const s = answer.status;
  if (!s) return { url: answer.url, up: false, ready: false, services: [], notReady: [], error: answer.error };
  const notReady = Object.entries(s.checks ?? {})
    .filter(([, c]) => c.status !== 'ok')
    .map(([name, c]) => `${name}: ${c.status === 'fail' ? c.error : c.status}${c.status === 'fail' && c.advisory ? ' (advisory)' : ''}`);
  return { url: answer.url, up: true, ready: s.status === 'ready', pid: s.pid, mode: s.mode, services: [...(s.services ?? [])], startedAt: s.startedAt, notReady };
}

/**
 * Lag per stage. A partition's gauge is set by the process that consumed it
 * last; after a rebalance its former owner still reports its old value, so
 * each partition counts once, at the most any process reports.
 */
export function stageLag(lagSamples: readonly MetricSample[]): StageFacts[] {
  const partitions = new Map<string, { group: string; lag: number }>();
  for (const { labels, value } of lagSamples) {
    const group = labels.group ?? '';
    const key = JSON.stringify([group, labels.topic ?? '', labels.partition ?? '']);
    const seen = partitions.get(key);
    if (!seen || value > seen.lag) partitions.set(key, { group, lag: value });
  }
  const byGroup = new Map<string, number>();
  for (const { group, lag } of partitions.values()) byGroup.set(group, (byGroup.get(group) ?? 0) + lag);
  const stages: StageFacts[] = PIPELINE_STAGES.map((stage) => {
    const reported = stage.groups.filter((g) => byGroup.has(g));
    return { id: stage.id, label: stage.label, groups: [...stage.groups], lag: reported.length === 0 ? null : reported.reduce((sum, g) => sum + byGroup.get(g)!, 0) };
  });
  const known = new Set(PIPELINE_STAGES.flatMap((s) => s.groups));
  for (const [group, lag] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    if (!known.has(group)) stages.push({ id: group, label: group, groups: [group], lag });
  }
  return stages;
}

/** Dead letters set aside so far, by group and reason; each process counts its own, so they add up. */
export function deadLetterCounts(samples: readonly MetricSample[]): DeadLetterFacts[] {
  const counts = new Map<string, DeadLetterFacts>();
  for (const { labels, value } of samples) {
    if (value <= 0) continue;
    const group = labels.group ?? '';
    const reason = labels.reason ?? '';
    const key = JSON.stringify([group, reason]);
    const entry = counts.get(key) ?? { group, reason, count: 0 };
    entry.count += value;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
}

/** The facts of a status from what each process answered. */
export function statusFacts(input: {
  mode: RunMode;
  dataDir: string;
  dataDirBytes: number | undefined;
  answers: readonly ProcessAnswer[];
  stalePids: readonly number[];
}): StatusFacts {
  const processes = input.answers.map(processFacts);
  const lag = input.answers.flatMap((a) => (a.metrics ? metricSamples(a.metrics, LAG_METRIC) : []));
  const deadLetters = input.answers.flatMap((a) => (a.metrics ? metricSamples(a.metrics, DEAD_LETTER_METRIC) : []));
  const errors = input.answers
    .flatMap((a) => (a.status?.recentErrors ?? []).map((e): ErrorFacts => ({ ...e, process: a.url })))
    .sort((a, b) => b.time.localeCompare(a.time))
    .slice(0, RECENT_ERRORS_KEPT);
  return {
    ok: processes.length > 0 && processes.every((p) => p.up && p.ready),
    mode: processes.find((p) => p.mode)?.mode ?? input.mode,
    dataDir: { path: input.dataDir, bytes: input.dataDirBytes ?? null },
    processes,
    stalePids: [...input.stalePids],
    stages: stageLag(lag),
    deadLetters: deadLetterCounts(deadLetters),
    errors,
  };
}
