import { readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = '@caracal/detections';

let packageDir: string | undefined;

/**
 * The package directory, found by walking up from this file so that it is the
 * same whether the code runs from src/ or dist/ (or a nested folder of either).
 */
export function detectionsPackageDir(): string {
  if (packageDir !== undefined) return packageDir;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === PACKAGE_NAME) return (packageDir = dir);
    } catch {
      // no (readable) package.json here; keep walking up
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${__dirname}`);
  }
}

/** Where the harness's Python sources live (read at run time, not compiled). */
export function pythonSourceDir(): string {
  return path.join(detectionsPackageDir(), 'python');
}
