import { formatTable } from './cli-output';
import type { StatusFacts } from './status-facts';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function headline(facts: StatusFacts): string {
  if (facts.processes.length === 0) return `Caracal is not running (${facts.mode} mode)`;
  const down = facts.processes.filter((p) => !p.up).length;
  const unready = facts.processes.filter((p) => p.up && !p.ready).length;
  if (facts.ok) return `Caracal is running (${facts.mode} mode): ${facts.processes.length === 1 ? 'ready' : `${facts.processes.length} processes, all ready`}`;
  const parts = [down > 0 ? `${down} down` : '', unready > 0 ? `${unready} not ready` : ''].filter((s) => s !== '');
  return `Caracal is degraded (${facts.mode} mode): ${parts.join(', ')} of ${facts.processes.length} process${facts.processes.length === 1 ? '' : 'es'}`;
}

/** The status as one screen of text: what runs, lag per stage, dead letters, the last errors, the data dir. */
export function renderStatus(facts: StatusFacts): string {
  const out: string[] = [headline(facts)];
  out.push(`data dir: ${facts.dataDir.path} (${facts.dataDir.bytes === null ? 'not on this machine' : formatBytes(facts.dataDir.bytes)})`);
  if (facts.stalePids.length > 0) out.push(`(left by processes no longer running: pid ${facts.stalePids.join(', ')})`);
  if (facts.processes.length === 0) {
    if (facts.mode === 'kafka') out.push('In kafka mode name each process\'s ops endpoint: caracal status --ops http://host:9464[,...]');
    return out.join('\n');
  }
  out.push('');
  out.push(
    formatTable(
      ['process', 'state', 'pid', 'services', 'since'],
      facts.processes.map((p) => ({ process: p.url, state: !p.up ? 'DOWN' : p.ready ? 'ready' : 'NOT READY', pid: p.pid, services: p.services.join(','), since: p.startedAt })),
    ),
  );
  for (const p of facts.processes) {
    if (p.error) out.push(`  ${p.url}: ${p.error}`);
    for (const reason of p.notReady) out.push(`  ${p.url}: ${reason}`);
  }
  out.push('');
  out.push(formatTable(['stage', 'lag'], facts.stages.map((s) => ({ stage: s.label, lag: s.lag === null ? 'no batch yet' : s.lag }))));
  out.push('');
  if (facts.deadLetters.length === 0) out.push('dead letters: none');
  else out.push(formatTable(['dead letters (group)', 'reason', 'count'], facts.deadLetters.map((d) => ({ 'dead letters (group)': d.group, reason: d.reason, count: d.count }))));
  out.push('');
  if (facts.errors.length === 0) out.push('last errors: none');
  else {
    const several = facts.processes.length > 1;
    const columns = ['time', 'service', 'code', 'message', ...(several ? ['process'] : [])];
    out.push(`last errors (newest first):\n${formatTable(columns, facts.errors.map((e) => ({ ...e, service: e.group ? `${e.service} (${e.group})` : e.service })))}`);
  }
  return out.join('\n');
}
