import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Bytes of the files under `dir` (symbolic links counted as themselves, not
 * followed); undefined when `dir` does not exist here (kafka mode on another
 * machine). The lake's parts come and go while it runs: a file gone between
 * the listing and its stat counts as nothing.
 */
export function dataDirBytes(dir: string): number | undefined {
  let top: fs.Stats;
  try {
    top = fs.lstatSync(dir);
  } catch {
    return undefined;
  }
  if (!top.isDirectory()) return top.size;
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else {
        try {
          total += fs.lstatSync(full).size;
        } catch {
          // removed meanwhile
        }
      }
    }
  }
  return total;
}
