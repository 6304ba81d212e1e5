import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The concerns of core and what each may import. The kernel stands alone, so
// a package that needs errors or config does not pull in the control store or
// OpenTelemetry; the layers above it only look down.
const ALLOWED: Record<string, string[]> = {
  kernel: [],
  messages: ['kernel'],
  'log-schemas': ['kernel', 'messages'],
  'control-plane': ['kernel', 'messages', 'log-schemas'],
  observability: ['kernel'],
};

// Tests run from dist/, whose folders mirror src/; the sources are read so that the rule is checked on what people edit.
const SRC = path.resolve(__dirname, '..', 'src');

function sources(folder: string): string[] {
  return fs
    .readdirSync(path.join(SRC, folder))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(SRC, folder, f));
}

function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
}

test('each concern of core imports only the concerns below it', () => {
  assert.deepEqual(
    fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort(),
    Object.keys(ALLOWED).sort(),
    'every folder of src/ is a concern with declared dependencies',
  );
  const wrong: string[] = [];
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    for (const file of sources(folder)) {
      for (const spec of relativeImports(file)) {
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
        if (target !== folder && !allowed.includes(target)) wrong.push(`${path.relative(SRC, file)} imports ${spec}`);
      }
      if (/from\s+'@caracal\/core/.test(fs.readFileSync(file, 'utf8'))) wrong.push(`${path.relative(SRC, file)} imports core by its package name`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the public entry points name what they export: no export * of internals', () => {
  const entries = [path.join(SRC, 'index.ts'), ...Object.keys(ALLOWED).filter((f) => f !== 'kernel').map((f) => path.join(SRC, f, 'index.ts'))];
  for (const entry of entries) {
    const text = fs.readFileSync(entry, 'utf8');
    assert.ok(!/export\s+\*/.test(text), `${path.relative(SRC, entry)} re-exports a module wholesale`);
    assert.ok(/export (type )?\{/.test(text), `${path.relative(SRC, entry)} exports nothing`);
  }
});

test('every subpath of the package resolves to the entry point of its concern', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(SRC, '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
  assert.deepEqual(subpaths.sort(), ['.', ...Object.keys(ALLOWED).filter((f) => f !== 'kernel').map((f) => `./${f}`)].sort());
  for (const sub of subpaths) {
    const name = sub === '.' ? '@caracal/core' : `@caracal/core/${sub.slice(2)}`;
    const loaded = require(name) as Record<string, unknown>;
    assert.ok(Object.keys(loaded).length > 0, `${name} loads and exports values`);
  }
});
