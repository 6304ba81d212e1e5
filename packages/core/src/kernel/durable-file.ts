import * as fs from 'node:fs';

/**
 * Replaces `file` with `text` so that a crash leaves the old content or the
 * new, never half of it, and the new is on disk when the promise resolves:
 * a temporary file beside it, datasync, then rename. Asynchronous, so that
 * the disk wait does not hold the event loop.
 */
export async function writeFileDurably(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
}
