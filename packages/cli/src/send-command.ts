import * as fs from 'node:fs';
import { CaracalConfig, CaracalError, describeError } from '@caracal/core';
import type { SourceAuthMode } from '@caracal/core/control-plane';
import { resolveSendAccess, SendAccessFlags } from './client-credentials';
import { CliIo } from './cli-output';
import { EventStreamSplitter, SplitEvent } from './event-stream-splitter';
import { IngestTarget, postBody, RetryNotice } from './ingest-body-sender';
import { createProgress, ProgressLine } from './progress-line';
import { UnreadableFileError } from './send-errors';
import { FileTally, newTally, refuse, summaryJson, summaryText } from './send-summary';

/** The source's access (see SendAccessFlags: each defaults to the environment, then the data dir) and how to send. */
export interface SendOptions extends SendAccessFlags {
  /** Default: config.ingest.maxBodyBytes (CARACAL_INGEST_MAX_BODY_BYTES), ingest's own limit. */
  maxBodyBytes?: number;
  /** Attempts after the first on 429, 502, 503, 504 and connection errors. */
  retries: number;
  /** Undefined: shown only when stderr is a terminal. */
  progress?: boolean;
  format: 'text' | 'json';
}

/** Where send reads stdin ("-") and draws its progress; the process's own unless a test passes others. */
export interface SendStreams {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

// Below this an NDJSON body holds hardly an event; ingest refuses to be set under 1 KiB as well.
const MIN_BODY_BYTES = 1024;

/** The events waiting to go in one body, each with where it came from to name it when ingest refuses it. */
interface Batch {
  texts: string[];
  wheres: string[];
  bytes: number;
}

function emptyBatch(): Batch {
  return { texts: [], wheres: [], bytes: 0 };
}

function fileBytes(file: string): number | undefined {
  if (file === '-') return undefined;
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    // The read that follows says why, naming the file.
    return undefined;
  }
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** What the command line cannot say: commander (cli-program.ts) has checked the files' presence, the numbers and the format. */
function checkOptions(files: string[]): void {
  if (files.filter((f) => f === '-').length > 1) throw new CaracalError('INVALID_ARGUMENT', 'stdin ("-") can be read only once');
}

/** Sends files one after the other, each in bodies under the limit, one body in flight: events arrive in file order. */
class Sender {
  private readonly started = Date.now();
  private sent = 0;
  private refused = 0;
  private bytesRead = 0;
  private waiting: string | undefined;
  /** The size bodies are filled to: the limit, until a 413 tells of a lower one at ingest. */
  private bodyTarget: number;

  constructor(
    private readonly target: IngestTarget,
    private readonly maxBodyBytes: number,
    private readonly retries: number,
    private readonly progress: ProgressLine,
    private readonly totalBytes: number | undefined,
  ) {
    this.bodyTarget = maxBodyBytes;
  }

  async sendFile(file: string, input: AsyncIterable<Buffer | string>, tally: FileTally): Promise<void> {
    const splitter = new EventStreamSplitter(file, this.maxBodyBytes);
    // fatal: a file that is not UTF-8 is refused rather than sent with its bad bytes replaced.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let batch = emptyBatch();
    let events = 0;
    const take = async (split: SplitEvent[]) => {
      for (const event of split) {
        events++;
        if (event.problem !== undefined) {
          this.refuse(tally, event.where, event.problem);
          continue;
        }
        if (event.oversized || event.bytes > this.maxBodyBytes) {
          // Ingest would refuse a body holding it, and with it the events that shared the body.
          this.refuse(tally, event.where, `an event larger than the body limit of ${this.maxBodyBytes} bytes`);
          continue;
        }
        // An event over a lowered target still goes, alone: only ingest can say whether it is too large.
        const joined = batch.bytes + event.bytes + (batch.texts.length > 0 ? 1 : 0);
        if (joined > this.bodyTarget && batch.texts.length > 0) {
          await this.sendBatch(batch, tally);
          batch = emptyBatch();
        }
        batch.bytes += event.bytes + (batch.texts.length > 0 ? 1 : 0);
        batch.texts.push(event.text);
        batch.wheres.push(event.where);
      }
    };
    try {
      for await (const chunk of input) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        this.bytesRead += bytes.length;
        await take(splitter.push(decoder.decode(bytes, { stream: true })));
      }
      await take(splitter.push(decoder.decode()));
      await take(splitter.end());
    } catch (err) {
      if (err instanceof CaracalError) throw err;
      const reason = (err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA' ? 'not valid UTF-8' : describeError(err);
      throw new UnreadableFileError(file, reason, { cause: err });
    }
    if (batch.texts.length > 0) await this.sendBatch(batch, tally);
    if (events === 0) tally.error = 'no events in it';
  }

  private refuse(tally: FileTally, where: string, reason: string, count = 1): void {
    refuse(tally, where, reason, count);
    this.refused += count;
    this.show();
  }

  private async sendBatch(batch: Batch, tally: FileTally): Promise<void> {
    const body = Buffer.from(batch.texts.join('\n'));
    const outcome = await postBody(this.target, body, { retries: this.retries, onRetry: (n) => this.retrying(n) });
    this.waiting = undefined;
    if (outcome.kind !== 'too-large') tally.bodies++;
    switch (outcome.kind) {
      case 'answered': {
        tally.accepted += outcome.accepted;
        this.sent += batch.texts.length;
        for (const r of outcome.rejected) {
          const problem = r.problems[0];
          const reason = problem ? `${problem.field}: ${problem.problem}` : 'refused by ingest';
          this.refuse(tally, batch.wheres[r.index] ?? `${tally.file} (event ${r.index} of a body)`, reason);
        }
        const unlisted = outcome.rejectedCount - outcome.rejected.length;
        // Ingest lists a body's first 100 refusals only.
        if (unlisted > 0) this.refuse(tally, batch.wheres[0], 'refused by ingest (not listed in its answer)', unlisted);
        break;
      }
      case 'too-large': {
        // Ingest's limit is below ours (it runs with other settings): halves go, down to single events,
        // and the bodies after it are cut to the size that was too large, halved.
        if (batch.texts.length === 1) {
          this.refuse(tally, batch.wheres[0], outcome.message);
          break;
        }
        this.bodyTarget = Math.max(MIN_BODY_BYTES, Math.min(this.bodyTarget, Math.floor(body.length / 2)));
        const half = Math.ceil(batch.texts.length / 2);
        for (const part of [0, half]) {
          const texts = batch.texts.slice(part, part === 0 ? half : undefined);
          const wheres = batch.wheres.slice(part, part === 0 ? half : undefined);
          await this.sendBatch({ texts, wheres, bytes: 0 }, tally);
        }
        break;
      }
      case 'refused':
        // Refused whole, none of it kept: every event of it is counted, by the server's reason.
        this.sent += batch.texts.length;
        this.refuse(tally, batch.wheres[0], outcome.message, batch.texts.length);
        break;
    }
    this.show();
  }

  private retrying(notice: RetryNotice): void {
    this.waiting = `retry ${notice.attempt}/${this.retries} in ${(notice.delayMs / 1000).toFixed(1)} s (${notice.reason})`;
    this.show();
  }

  show(): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const parts = [`${this.sent} events sent (${Math.round(this.sent / seconds)}/s), ${this.refused} refused`];
    parts.push(this.totalBytes !== undefined ? `${mib(this.bytesRead)} of ${mib(this.totalBytes)}` : mib(this.bytesRead));
    if (this.waiting) parts.push(this.waiting);
    this.progress.update(parts.join(' · '));
  }

  finish(): void {
    this.waiting = undefined;
    this.show();
    this.progress.done();
  }
}

function openInput(file: string, stdin: NodeJS.ReadableStream): AsyncIterable<Buffer | string> {
  // 64 KiB reads: the memory is a body's worth of events and a chunk, whatever the file's size.
  return file === '-' ? stdin : fs.createReadStream(file, { highWaterMark: 64 * 1024 });
}

/**
 * `caracal send`: the events of each file (NDJSON, a JSON array, or one JSON
 * object; "-" is stdin) to an HTTP source, streamed in NDJSON bodies under
 * the limit. Prints per file what was accepted and what refused, and why.
 * Exit 1 when any event was refused or any file could not be sent.
 */
export async function sendCommand(
  config: CaracalConfig,
  files: string[],
  options: SendOptions,
  io: CliIo,
  streams: SendStreams = { stdin: process.stdin, stderr: process.stderr },
): Promise<number> {
  checkOptions(files);
  const started = Date.now();
  const access = resolveSendAccess(config, options);
  const maxBodyBytes = options.maxBodyBytes ?? config.ingest.maxBodyBytes;
  const sizes = files.map(fileBytes);
  const totalBytes = sizes.every((s) => s !== undefined) ? sizes.reduce<number>((n, s) => n + s!, 0) : undefined;
  const progress = createProgress(streams.stderr, options.progress ?? streams.stderr.isTTY === true);
  const sender = new Sender({ url: access.url, sourceId: access.sourceId, auth: access.auth }, maxBodyBytes, options.retries, progress, totalBytes);
  const tallies: FileTally[] = [];
  let stopped: CaracalError | undefined;
  for (const file of files) {
    const tally = newTally(file === '-' ? 'stdin' : file);
    tallies.push(tally);
    try {
      await sender.sendFile(tally.file, openInput(file, streams.stdin), tally);
    } catch (err) {
      const error = err instanceof CaracalError ? err : new CaracalError('INTERNAL', describeError(err), { cause: err });
      tally.error = error.message;
      // A file that cannot be read leaves the others to send; a source that takes nothing (its
      // credentials, its id) or an ingest that stays away would refuse the next file too.
      if (!(error instanceof UnreadableFileError)) {
        stopped = error;
        break;
      }
    }
  }
  sender.finish();
  io.out(options.format === 'json' ? summaryJson(tallies, (Date.now() - started) / 1000) : summaryText(tallies));
  // An unreadable file's message names it already.
  for (const t of tallies) if (t.error && t.error !== stopped?.message) io.err(`caracal: ${/^cannot read /.test(t.error) ? '' : `${t.file}: `}${t.error}`);
  if (stopped) io.err(`caracal: ${tallies[tallies.length - 1].file}: ${stopped.message}`);
  return tallies.some((t) => t.refused > 0 || t.error !== undefined) ? 1 : 0;
}
