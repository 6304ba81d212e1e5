import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnavailableError, writeFileDurably } from '@caracal/core';
import { doneMark, type ObjectClaim, readDoneMark, type S3ObjectRef, type S3ProgressStore } from './s3-progress.store';

interface Claim {
  owner: string;
  untilMs: number;
}

/** One line of a source's file: an object's key and its done mark; a later line of the same key wins. */
interface MarkLine {
  k: string;
  m: string;
}

/**
 * The progress of embedded mode, in the data dir, which one `caracal start`
 * process owns. Claims live in memory: there is no other reader to keep
 * out, and a claim left by a process that is gone must not hold. Done marks
 * are appended to one file per source, each on disk (datasync) before
 * markDone returns, since a mark that is lost makes the object read again;
 * the file is written anew, without the lines that no longer count, when a
 * source is first used and after a prune.
 */
export class LocalS3ProgressStore implements S3ProgressStore {
  private readonly claims = new Map<string, Claim>();
  private readonly marks = new Map<string, Map<string, string>>();
  /** Writes of each source's file, one at a time and in order. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  async doneEtags(sourceId: string, keys: string[]): Promise<Map<string, string>> {
    const marks = await this.marksOf(sourceId);
    const out = new Map<string, string>();
    for (const key of keys) {
      const mark = marks.get(key);
      if (mark !== undefined) out.set(key, readDoneMark(mark).etag);
    }
    return out;
  }

  async claim(ref: S3ObjectRef, owner: string, leaseMs: number): Promise<ObjectClaim> {
    const mark = (await this.marksOf(ref.sourceId)).get(ref.key);
    if (mark !== undefined && readDoneMark(mark).etag === ref.etag) return 'done';
    const id = claimId(ref);
    const held = this.claims.get(id);
    if (held && held.untilMs > this.now()) return 'running';
    this.claims.set(id, { owner, untilMs: this.now() + leaseMs });
    return 'claimed';
  }

  async renew(ref: S3ObjectRef, owner: string, leaseMs: number): Promise<boolean> {
    const held = this.claims.get(claimId(ref));
    if (!held || held.owner !== owner || held.untilMs <= this.now()) return false;
    held.untilMs = this.now() + leaseMs;
    return true;
  }

  async markDone(ref: S3ObjectRef): Promise<void> {
    const marks = await this.marksOf(ref.sourceId);
    const mark = doneMark(ref.etag, this.now());
    await this.write(ref.sourceId, (file) => appendDurably(file, `${JSON.stringify({ k: ref.key, m: mark } satisfies MarkLine)}\n`));
    marks.set(ref.key, mark);
  }

  async release(ref: S3ObjectRef, owner: string): Promise<void> {
    const id = claimId(ref);
    if (this.claims.get(id)?.owner === owner) this.claims.delete(id);
  }

  async prune(sourceId: string, listed: ReadonlySet<string>, listedSince: number): Promise<number> {
    const marks = await this.marksOf(sourceId);
    const gone = [...marks].filter(([key, mark]) => !listed.has(key) && readDoneMark(mark).atMs < listedSince).map(([key]) => key);
    if (gone.length === 0) return 0;
    for (const key of gone) marks.delete(key);
    await this.write(sourceId, (file) => writeFileDurably(file, linesOf(marks)));
    return gone.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  private fileOf(sourceId: string): string {
    return path.join(this.dir, `${encodeURIComponent(sourceId)}.s3-done.ndjson`);
  }

  private async marksOf(sourceId: string): Promise<Map<string, string>> {
    let marks = this.marks.get(sourceId);
    if (marks) return marks;
    const file = this.fileOf(sourceId);
    marks = new Map();
    let text = '';
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UnavailableError(`S3 source progress: cannot read ${file}`, { cause: err });
    }
    let lines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      lines++;
      let parsed: MarkLine;
      try {
        parsed = JSON.parse(line) as MarkLine;
      } catch {
        // A line cut short by a crash mid-append: its object was not marked, and is read again.
        continue;
      }
      if (typeof parsed.k === 'string' && typeof parsed.m === 'string') marks.set(parsed.k, parsed.m);
    }
    if (this.marks.has(sourceId)) return this.marks.get(sourceId)!;
    this.marks.set(sourceId, marks);
    const kept = marks;
    if (lines > kept.size) await this.write(sourceId, (f) => writeFileDurably(f, linesOf(kept)));
    return marks;
  }

  private write(sourceId: string, run: (file: string) => Promise<void>): Promise<void> {
    const file = this.fileOf(sourceId);
    const write = (this.writes.get(sourceId) ?? Promise.resolve()).then(async () => {
      try {
        await fs.promises.mkdir(this.dir, { recursive: true });
        await run(file);
      } catch (err) {
        throw new UnavailableError(`S3 source progress: cannot write ${file}`, { cause: err });
      }
    });
    // The next write waits for this one, whether or not it failed; this call reports its failure.
    this.writes.set(
      sourceId,
      write.catch(() => undefined),
    );
    return write;
  }
}

function claimId(ref: S3ObjectRef): string {
  return `${ref.sourceId}\n${ref.key}`;
}

function linesOf(marks: Map<string, string>): string {
  let out = '';
  for (const [k, m] of marks) out += `${JSON.stringify({ k, m } satisfies MarkLine)}\n`;
  return out;
}

async function appendDurably(file: string, text: string): Promise<void> {
  const handle = await fs.promises.open(file, 'a');
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
