import path from 'node:path';
import type { ContentSet } from './content.types';

/** Paths in tracebacks are relative to the content root: the author's view, not the host's. */
function shown(content: ContentSet, file: string): string {
  // A relative path is already the author's view (a detection given as text, not read from the root).
  const relative = path.isAbsolute(file) ? path.relative(content.root, file) : file;
  return relative.split(path.sep).join('/');
}

/**
 * What the Python harness needs of a content set, as the JSON its load_content
 * takes. `withPolicies`: also the policies, which only test runs evaluate.
 */
export function contentPayload(content: ContentSet, options: { withPolicies?: boolean } = {}): string {
  return JSON.stringify({
    globals: content.globals.map((g) => ({
      id: g.globalId,
      source: g.pythonSource,
      filename: shown(content, g.pythonPath),
    })),
    dataModels: content.dataModels.map((d) => ({
      id: d.id,
      enabled: d.enabled,
      logTypes: d.logTypes,
      mappings: d.mappings,
      source: d.pythonSource ?? null,
      filename: d.pythonPath === undefined ? null : shown(content, d.pythonPath),
    })),
    rules: content.rules.map((r) => ({
      id: r.ruleId,
      enabled: r.enabled,
      logTypes: r.logTypes,
      severity: r.severity,
      displayName: r.displayName ?? '',
      description: r.description,
      reference: r.reference,
      runbook: r.runbook,
      source: r.pythonSource,
      filename: shown(content, r.pythonPath),
      ...(r.inlineFilters ? { inlineFilters: r.inlineFilters } : {}),
      ...(r.simpleDetection ? { simpleDetection: r.simpleDetection } : {}),
    })),
    ...(options.withPolicies
      ? {
          policies: (content.policies ?? []).map((p) => ({
            id: p.policyId,
            enabled: p.enabled,
            severity: p.severity,
            displayName: p.displayName ?? '',
            description: p.description,
            reference: p.reference,
            runbook: p.runbook,
            source: p.pythonSource,
            filename: shown(content, p.pythonPath),
          })),
        }
      : {}),
  });
}
