import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { tempDir } from './test-env';

/**
 * Grafana's own dashboard schema, as it publishes it in @grafana/schema: the
 * TypeScript types generated from its CUE kinds (the classic dashboard JSON,
 * `raw/dashboard/x`, and each panel plugin's options, `raw/composable/<panel>/panelcfg/x`),
 * turned into JSON Schema here with ts-json-schema-generator. The package
 * ships no JSON Schema of its own; decision 0032 says why this is the real one.
 */
export interface GrafanaSchemas {
  version: string;
  dashboard: ValidateFunction;
  /** Per panel type: its options, and for time series the fieldConfig.defaults.custom block. */
  panelOptions: Record<string, ValidateFunction>;
  timeseriesFieldConfig: ValidateFunction;
}

const PANEL_OPTIONS: Record<string, string> = { timeseries: 'Timeseries', stat: 'Stat', table: 'Table', barchart: 'Barchart' };

export function loadGrafanaSchemas(): GrafanaSchemas {
  const pkgDir = path.dirname(require.resolve('@grafana/schema/package.json'));
  const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const raw = path.join(pkgDir, 'dist', 'types', 'raw');
  const types = (p: string) => JSON.stringify(path.join(raw, p, 'x', 'types.gen'));
  // Interfaces named here, so that the several plugins' `Options` do not collide.
  const lines = [
    `import type { Dashboard } from ${types('dashboard')};`,
    `export interface GrafanaDashboard extends Dashboard {}`,
    `import type { FieldConfig as TimeseriesFieldConfig } from ${types('composable/timeseries/panelcfg')};`,
    `export interface GrafanaTimeseriesFieldConfig extends TimeseriesFieldConfig {}`,
  ];
  for (const [panel, name] of Object.entries(PANEL_OPTIONS)) {
    lines.push(`import type { Options as ${name}Options } from ${types(`composable/${panel}/panelcfg`)};`);
    lines.push(`export interface Grafana${name}Options extends ${name}Options {}`);
  }
  const entry = path.join(tempDir('grafana-schema'), 'grafana-schema-entry.ts');
  fs.writeFileSync(entry, `${lines.join('\n')}\n`);
  const generator = createGenerator({ path: entry, skipTypeCheck: true, expose: 'export', topRef: true });
  const ajv = new Ajv({ allErrors: true, strict: false });
  const compile = (type: string) => ajv.compile(generator.createSchema(type));
  const panelOptions: Record<string, ValidateFunction> = {};
  for (const [panel, name] of Object.entries(PANEL_OPTIONS)) panelOptions[panel] = compile(`Grafana${name}Options`);
  fs.rmSync(path.dirname(entry), { recursive: true, force: true });
  return { version, dashboard: compile('GrafanaDashboard'), panelOptions, timeseriesFieldConfig: compile('GrafanaTimeseriesFieldConfig') };
}

/** Every schema error of one dashboard, its panels' options included, as readable lines. */
export function dashboardSchemaErrors(schemas: GrafanaSchemas, dashboard: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const report = (where: string, validate: ValidateFunction, value: unknown) => {
    if (!validate(value)) for (const e of validate.errors ?? []) errors.push(`${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
  report('dashboard', schemas.dashboard, dashboard);
  for (const panel of dashboardPanels(dashboard)) {
    const where = `panel ${panel.id} (${String(panel.title)})`;
    const validate = schemas.panelOptions[String(panel.type)];
    if (!validate) {
      errors.push(`${where}: panel type ${String(panel.type)} has no options schema here (add it to PANEL_OPTIONS)`);
      continue;
    }
    report(`${where} options`, validate, panel.options ?? {});
    const custom = (panel.fieldConfig as { defaults?: { custom?: unknown } } | undefined)?.defaults?.custom;
    if (panel.type === 'timeseries' && custom !== undefined) report(`${where} fieldConfig.defaults.custom`, schemas.timeseriesFieldConfig, custom);
  }
  return errors;
}

export type Panel = Record<string, unknown> & { id: number; type: string; title: string; targets?: Record<string, unknown>[] };

/** The dashboard's panels, those inside rows included, rows themselves left out. */
export function dashboardPanels(dashboard: Record<string, unknown>): Panel[] {
  const out: Panel[] = [];
  for (const p of (dashboard.panels ?? []) as Panel[]) {
    if (p.type === 'row') out.push(...(((p as unknown as { panels?: Panel[] }).panels) ?? []));
    else out.push(p);
  }
  return out;
}
