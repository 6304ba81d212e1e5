import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { CaracalError, describeError, type Logger, UnavailableError } from '@caracal/core';
import type { S3SourceSettings, SourceRecord } from '@caracal/core/control-plane';
import { UnreadableInputError } from '../ingest.errors';
import type { PulledRecord } from '../ingest.service';
import type { BodyRecord } from '../request-body.reader';
import { type PulledRecordSink, publishChunks, rejectedWhole } from './pulled-records.publisher';
import { readS3Object } from './s3-object.reader';
import type { S3ObjectRef, S3ProgressStore } from './s3-progress.store';
import type { PullSourceRunner } from './pull-source.runner';

export interface S3SourcePullerOptions {
  pollIntervalMs: number;
  claimLeaseMs: number;
  maxObjectBytes: number;
  /** Events per publish: an object's events go to the bus in parts this size, each acknowledged before the next. */
  publishBatchEvents: number;
  /** ...and of at most this many bytes of input text (ingest's body limit). */
  publishBatchBytes: number;
  /** Who claims: unique per process and puller, so that a claim is never mistaken for another's. */
  owner: string;
}

/** What one pass over the bucket did; for logs and tests. */
export interface S3PollOutcome {
  listed: number;
  read: number;
  unreadable: number;
  /** Objects another reader held, or that failed and wait for the next poll. */
  skipped: number;
  /** Whether the pass listed the whole prefix (a stop or a failure cuts it short). */
  complete: boolean;
}

type ObjectOutcome = 'read' | 'unreadable' | 'skipped' | 'abandoned';

/**
 * Reads one S3 source (decision 0029): every poll lists its bucket and
 * prefix, and each object whose current version has no done mark is
 * claimed, read whole, and its events published in parts, each acknowledged
 * by the bus before the next; only then is it marked done. A stop between
 * parts abandons the object (its claim released, no mark): it is read again,
 * whole, and its events keep their row ids, so the lake and the rules-worker
 * drop the copies. An object that holds nothing readable becomes one
 * rejection and is marked done: it is never retried, and never holds up the
 * objects after it.
 */
export class S3SourcePuller implements PullSourceRunner {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly settings: S3SourceSettings;

  constructor(
    readonly source: SourceRecord,
    private readonly client: S3Client,
    private readonly store: () => Promise<S3ProgressStore>,
    private readonly sink: PulledRecordSink,
    private readonly options: S3SourcePullerOptions,
    private readonly logger: Logger,
  ) {
    if (!source.s3) throw new CaracalError('INTERNAL', `source "${source.id}" has no S3 settings`);
    this.settings = source.s3;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Finishes the part being published, abandons the rest of the object, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.client.destroy();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const outcome = await this.pollOnce();
        if (outcome.read + outcome.unreadable > 0) this.logger.debug({ sourceId: this.source.id, ...outcome }, 's3 source polled');
      } catch (err) {
        this.logger.warn({ sourceId: this.source.id, bucket: this.settings.bucket, err: describeError(err) }, 's3 source: the poll failed; trying again at the next one');
      }
      await this.pause(this.options.pollIntervalMs);
    }
  }

  /** One pass: lists the prefix page by page and reads each new object of a page before listing the next. */
  async pollOnce(): Promise<S3PollOutcome> {
    const store = await this.store();
    const outcome: S3PollOutcome = { listed: 0, read: 0, unreadable: 0, skipped: 0, complete: false };
    const listedSince = Date.now();
    const listed = new Set<string>();
    let token: string | undefined;
    do {
      if (this.stopping) return outcome;
      const page = await this.s3('list the bucket', () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.settings.bucket, ...(this.settings.prefix ? { Prefix: this.settings.prefix } : {}), ...(token ? { ContinuationToken: token } : {}) }),
        ),
      );
      // A key ending in '/' is a folder marker that consoles create, no object of logs.
      const objects = (page.Contents ?? []).filter((o): o is typeof o & { Key: string } => typeof o.Key === 'string' && !o.Key.endsWith('/'));
      for (const o of objects) listed.add(o.Key);
      outcome.listed += objects.length;
      const done = await store.doneEtags(
        this.source.id,
        objects.map((o) => o.Key),
      );
      for (const o of objects) {
        if (this.stopping) return outcome;
        const ref: S3ObjectRef = { sourceId: this.source.id, key: o.Key, etag: o.ETag ?? '' };
        if (done.get(ref.key) === ref.etag) continue;
        const result = await this.readObject(store, ref);
        if (result === 'abandoned') return outcome;
        outcome[result]++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    outcome.complete = true;
    const forgotten = await store.prune(this.source.id, listed, listedSince);
    if (forgotten > 0) this.logger.debug({ sourceId: this.source.id, forgotten }, 's3 source: forgot the done marks of objects no longer listed');
    return outcome;
  }

  private async readObject(store: S3ProgressStore, ref: S3ObjectRef): Promise<ObjectOutcome> {
    if ((await store.claim(ref, this.options.owner, this.options.claimLeaseMs)) !== 'claimed') return 'skipped';
    const where = `s3://${this.settings.bucket}/${ref.key}`;
    let lost = false;
    // Renewed well before it ends, so that a live reader of a large object keeps it.
    const renewal = setInterval(() => {
      store.renew(ref, this.options.owner, this.options.claimLeaseMs).then(
        (held) => (lost ||= !held),
        () => undefined,
      );
    }, Math.max(1, Math.floor(this.options.claimLeaseMs / 3)));
    try {
      const bytes = await this.fetch(ref);
      if (bytes === undefined) return 'skipped';
      let records: BodyRecord[];
      try {
        records = (await readS3Object(bytes, this.options.maxObjectBytes)).records;
      } catch (err) {
        if (!(err instanceof UnreadableInputError)) throw err;
        await publishChunks(this.sink, this.source, [rejectedWhole(where, bytes, '(object)', `${where}: ${err.message}`)], this.publishing());
        await store.markDone(ref);
        this.logger.warn({ sourceId: this.source.id, object: where, problem: err.message }, 's3 source: object refused as a whole (kept as a rejection)');
        return 'unreadable';
      }
      const pulled: PulledRecord[] = records.map((r, index) => ({ requestId: where, index, text: r.text, value: r.value, ...(r.problem === undefined ? {} : { problem: { field: '(line)', problem: r.problem } }) }));
      const finished = await publishChunks(this.sink, this.source, pulled, { ...this.publishing(), active: () => !this.stopping && !lost });
      if (!finished) {
        this.logger.info({ sourceId: this.source.id, object: where, lostClaim: lost }, 's3 source: object abandoned part way; it is read again whole');
        return 'abandoned';
      }
      await store.markDone(ref);
      this.logger.debug({ sourceId: this.source.id, object: where, events: pulled.length }, 's3 source: object read');
      return 'read';
    } catch (err) {
      if (this.stopping) return 'abandoned';
      this.logger.warn({ sourceId: this.source.id, object: where, err: describeError(err) }, 's3 source: object not read; trying again at the next poll');
      return 'skipped';
    } finally {
      clearInterval(renewal);
      await store.release(ref, this.options.owner).catch(() => undefined);
    }
  }

  /** The object's bytes as listed (If-Match its ETag); undefined when it changed or went away since the listing. */
  private async fetch(ref: S3ObjectRef): Promise<Buffer | undefined> {
    const max = this.options.maxObjectBytes;
    let answer;
    try {
      answer = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: ref.key, ...(ref.etag ? { IfMatch: ref.etag } : {}) }));
    } catch (err) {
      const name = (err as { name?: string }).name;
      // The next listing has the new version, or no object at all.
      if (name === 'NoSuchKey' || name === 'PreconditionFailed') return undefined;
      throw new UnavailableError(`S3 did not give the object s3://${this.settings.bucket}/${ref.key}`, { cause: err });
    }
    const body = answer.Body as AsyncIterable<Uint8Array> | undefined;
    if (!body) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      // Read one byte past the limit and no further: the reader refuses it, naming the limit.
      if (size > max) {
        chunks.push(Buffer.from(chunk));
        (body as { destroy?: () => void }).destroy?.();
        break;
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  private publishing() {
    return {
      batchEvents: this.options.publishBatchEvents,
      batchBytes: this.options.publishBatchBytes,
      active: () => !this.stopping,
      pause: (ms: number) => this.pause(ms),
      logger: this.logger,
    };
  }

  private async s3<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new UnavailableError(`S3 did not answer (${what} s3://${this.settings.bucket}/${this.settings.prefix})`, { cause: err });
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
