import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Logger, writeFileDurably } from '@caracal/core';
import { BusError } from './errors';
import { BatchHandler, BusConsumer, BusProducer, BusTopicReader, ConsumedMessage, ConsumerOptions, MessageBus, OutgoingMessage, ReaderHandler } from './message-bus';
import { DeadLetterOptions, DeadLetterPublisher, runSlice } from './poison-message.policy';

interface StoredMessage {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

// Kept in memory below the slowest group until this many are behind it, so a
// long-running laptop install does not hold every message it ever saw.
const TRIM_AFTER_MESSAGES = 10_000;
// Where every this many messages begin in the file: any message on disk is
// found by reading at most this many lines before it.
const INDEX_EVERY_MESSAGES = 256;
const DISK_READ_BYTES = 1 << 20;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

/**
 * Walks the whole lines of a file from position `at`, read in chunks into
 * `chunk`: `line` gets each line's bytes (data[start, end), without its
 * newline) and where it begins in the file, and returns false to stop.
 * Returns the file position after the last line handed over; at the end of
 * the file that is where a line cut short, if any, begins.
 */
function eachLine(fd: number, at: number, chunk: Buffer, line: (data: Buffer, start: number, end: number, position: number) => boolean): number {
  let data = chunk;
  for (;;) {
    const n = fs.readSync(fd, data, 0, data.length, at);
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0 && nl < n; nl = data.indexOf(10, start)) {
      const more = line(data, start, nl, at + start);
      start = nl + 1;
      if (!more) return at + start;
    }
    if (n < data.length) return at + start;
    // The chunk ends inside a line: it is read again from its beginning (not
    // copied out), into a larger buffer when one line fills the whole chunk.
    if (start === 0) data = Buffer.allocUnsafe(data.length * 2);
    at += start;
  }
}

/**
 * One topic of the local log: an append-only file of one JSON line per
 * message, fsynced before a send resolves. The messages sent since the
 * process started, down to the slowest group, are also kept in memory; older
 * ones are read back from the file. A reopen reads no message into memory,
 * only where every 256th begins: a log of millions of messages (more text
 * than one JavaScript string can hold) opens in the memory of its index.
 */
class TopicLog extends EventEmitter {
  private messages: StoredMessage[] = [];
  /** Offset of messages[0]; with a file, the ones below it are read from there. */
  private base = 0;
  /** starts[k]: the file position of offset k * INDEX_EVERY_MESSAGES. */
  private readonly starts: number[] = [];
  private fileBytes = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private fd: number | undefined;
  private readFd: number | undefined;
  private readChunk: Buffer | undefined;
  readonly committed = new Map<string, number>();

  constructor(readonly topic: string, private readonly file: string | undefined) {
    super();
    this.setMaxListeners(0);
    if (file) this.load(file);
  }

  get end(): number {
    return this.base + this.messages.length;
  }

  /** Messages held in memory (the rest are in the file). */
  get held(): number {
    return this.messages.length;
  }

  /** Indexes the file's lines without parsing them; a line cut short by a crash was never acknowledged and is cut off. */
  private load(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      const fd = fs.openSync(file, 'r');
      let count = 0;
      let whole: number;
      try {
        whole = eachLine(fd, 0, Buffer.allocUnsafe(DISK_READ_BYTES), (_data, _start, _end, position) => {
          if (count % INDEX_EVERY_MESSAGES === 0) this.starts.push(position);
          count++;
          return true;
        });
      } finally {
        fs.closeSync(fd);
      }
      fs.truncateSync(file, whole);
      this.base = count;
      this.fileBytes = whole;
    }
    this.fd = fs.openSync(file, 'a');
  }

  append(messages: OutgoingMessage[]): Promise<void> {
    const stored: StoredMessage[] = messages.map((m) => ({
      key: m.key,
      value: Buffer.isBuffer(m.value) ? m.value : Buffer.from(m.value, 'utf8'),
      headers: m.headers && Object.keys(m.headers).length > 0 ? m.headers : undefined,
    }));
    const run = async () => {
      if (this.fd !== undefined) {
        const fd = this.fd;
        const lines = stored.map((m) => JSON.stringify({ k: m.key, v: m.value.toString('base64'), h: m.headers }) + '\n');
        const starts: number[] = [];
        let at = this.fileBytes;
        for (let i = 0; i < lines.length; i++) {
          if ((this.end + i) % INDEX_EVERY_MESSAGES === 0) starts.push(at);
          at += Buffer.byteLength(lines[i]);
        }
        try {
          const text = lines.join('');
          await new Promise<void>((resolve, reject) =>
            fs.write(fd, text, (err, written) => {
              if (err) reject(err);
              else if (written !== at - this.fileBytes) reject(new Error(`wrote ${written} of ${at - this.fileBytes} bytes`));
              else fs.fdatasync(fd, (e) => (e ? reject(e) : resolve()));
            }),
          );
        } catch (err) {
          // Whatever part did reach the file was not acknowledged: cut it
          // off, so the next append's lines start where the index says.
          try {
            fs.ftruncateSync(fd, this.fileBytes);
          } catch {
            // The write's own error is the one to report.
          }
          throw err;
        }
        this.starts.push(...starts);
        this.fileBytes = at;
      }
      this.messages.push(...stored);
      this.emit('append');
    };
    const result = this.writeChain.then(run);
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  /** Up to `max` messages from `from` on: from the file below `base`, then from memory. */
  read(from: number, max: number): { offset: number; message: StoredMessage }[] {
    let start = Math.max(from, this.file ? 0 : this.base);
    const out: { offset: number; message: StoredMessage }[] = [];
    if (start < this.base) {
      const onDisk = this.readFile(start, Math.min(max, this.base - start));
      for (const message of onDisk) out.push({ offset: start++, message });
    }
    for (let o = start; o < this.end && out.length < max; o++) out.push({ offset: o, message: this.messages[o - this.base] });
    return out;
  }

  private readFile(from: number, count: number): StoredMessage[] {
    if (count <= 0) return [];
    this.readFd ??= fs.openSync(this.file!, 'r');
    const k = Math.floor(from / INDEX_EVERY_MESSAGES);
    let offset = k * INDEX_EVERY_MESSAGES;
    const out: StoredMessage[] = [];
    eachLine(this.readFd, this.starts[k], (this.readChunk ??= Buffer.allocUnsafe(DISK_READ_BYTES)), (data, start, end) => {
      if (offset >= from) {
        let rec: { k: string; v: string; h?: Record<string, string> };
        try {
          rec = JSON.parse(data.toString('utf8', start, end)) as typeof rec;
        } catch (err) {
          throw new BusError(`local topic ${this.topic}: the record at offset ${offset} in ${this.file} is not JSON`, { cause: err, retriable: false });
        }
        out.push({ key: rec.k, value: Buffer.from(rec.v, 'base64'), headers: rec.h });
      }
      offset++;
      return out.length < count;
    });
    if (out.length < count) throw new BusError(`local topic ${this.topic}: the file ends before offset ${offset}`, { retriable: false });
    return out;
  }

  trim(): void {
    if (this.committed.size === 0) return;
    const slowest = Math.min(...this.committed.values());
    const drop = slowest - this.base;
    if (drop >= TRIM_AFTER_MESSAGES) {
      this.messages.splice(0, drop);
      this.base = slowest;
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    if (this.readFd !== undefined) fs.closeSync(this.readFd);
    this.fd = undefined;
    this.readFd = undefined;
  }
}

export interface LocalBusOptions {
  /** Where topics and group offsets are kept; in memory only when absent. */
  dir?: string;
  logger: Logger;
  /** Where consumers set aside messages they cannot handle, and after how many attempts. */
  deadLetters?: DeadLetterOptions;
}

/**
 * The in-process bus of embedded mode. It keeps Kafka's promises that the
 * services rely on: a send resolves once the messages are on disk, and a
 * group's offset advances only after its handler succeeded.
 */
export class LocalBus implements MessageBus {
  readonly kind = 'local' as const;
  private readonly topics = new Map<string, TopicLog>();
  private readonly consumers = new Set<LocalConsumer>();
  private readonly readers = new Set<LocalTopicReader>();
  private readerCount = 0;

  constructor(private readonly options: LocalBusOptions) {}

  topic(name: string): TopicLog {
    let log = this.topics.get(name);
    if (!log) {
      if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new BusError(`invalid topic name "${name}"`, { retriable: false });
      log = new TopicLog(name, this.options.dir ? path.join(this.options.dir, 'topics', `${name}.log`) : undefined);
      this.topics.set(name, log);
    }
    return log;
  }

  // The local log keeps every message of every topic, so compaction is moot here.
  async ensureTopics(topics: string[]): Promise<void> {
    for (const t of topics) this.topic(t);
  }

  async producer(): Promise<BusProducer> {
    return {
      send: async (topic, messages) => {
        if (messages.length === 0) return;
        try {
          await this.topic(topic).append(messages);
        } catch (err) {
          throw new BusError(`cannot append ${messages.length} message(s) to local topic ${topic}`, { cause: err });
        }
      },
      disconnect: async () => undefined,
    };
  }

  consumer(options: ConsumerOptions): BusConsumer {
    const deadLetters = new DeadLetterPublisher(options.groupId, this.options.deadLetters ?? {}, (topic, messages) => this.topic(topic).append(messages), this.options.logger);
    const c = new LocalConsumer(this, options, this.options.logger, this.options.dir, deadLetters);
    this.consumers.add(c);
    return c;
  }

  reader(topic: string): BusTopicReader {
    const r = new LocalTopicReader(this.topic(topic), `reader-${++this.readerCount}`);
    this.readers.add(r);
    return r;
  }

  private closed = false;

  async ping(): Promise<void> {
    if (this.closed) throw new BusError('the local bus is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.readers].map((r) => r.stop()));
    this.readers.clear();
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    for (const t of this.topics.values()) t.close();
    this.topics.clear();
  }
}

class LocalConsumer implements BusConsumer {
  private stopped = false;
  private started = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly offsetsFile: string | undefined;
  private offsetsDirMade = false;
  private offsets: Record<string, number> = {};
  /** With stableBatches: per topic, the end (exclusive) of the batch handed out and not yet committed. */
  private pending: Record<string, number> = {};
  /** With batchFill: per topic, since when (ms) messages have waited for a batch to fill. */
  private readonly fillingSince = new Map<string, number>();

  constructor(
    private readonly bus: LocalBus,
    private readonly options: ConsumerOptions,
    private readonly logger: Logger,
    dir: string | undefined,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    if (!/^[A-Za-z0-9._-]+$/.test(options.groupId)) throw new BusError(`invalid group id "${options.groupId}"`, { retriable: false });
    this.offsetsFile = dir ? path.join(dir, 'groups', `${options.groupId}.json`) : undefined;
    if (this.offsetsFile && fs.existsSync(this.offsetsFile)) {
      const saved = JSON.parse(fs.readFileSync(this.offsetsFile, 'utf8')) as Record<string, unknown>;
      // Files written before pending batches were kept hold the offsets alone.
      if (typeof saved.offsets === 'object' && saved.offsets !== null) {
        this.offsets = saved.offsets as Record<string, number>;
        this.pending = (saved.pending as Record<string, number> | undefined) ?? {};
      } else {
        this.offsets = saved as Record<string, number>;
      }
    }
  }

  async run(handler: BatchHandler): Promise<void> {
    const logs = this.options.topics.map((t) => this.bus.topic(t));
    for (const log of logs) {
      if (this.offsets[log.topic] === undefined) this.offsets[log.topic] = this.options.fromBeginning === false ? log.end : 0;
      log.committed.set(this.options.groupId, this.offsets[log.topic]);
      log.on('append', this.onAppend);
    }
    this.started = true;
    this.loop = this.consume(logs, handler);
  }

  isRunning(): boolean {
    return this.started && !this.stopped;
  }

  private readonly onAppend = () => {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  };

  private async consume(logs: TopicLog[], handler: BatchHandler): Promise<void> {
    const max = this.options.maxBatchMessages ?? 1000;
    let retryMs = RETRY_MIN_MS;
    while (!this.stopped) {
      let didWork = false;
      for (const log of logs) {
        if (this.stopped) break;
        const from = this.offsets[log.topic];
        // A batch begun before (a failed handler, or a crash) is handed out again with the same end.
        const pendingEnd = this.options.stableBatches ? this.pending[log.topic] : undefined;
        const begunEnd = pendingEnd !== undefined && pendingEnd > from ? pendingEnd : undefined;
        const batch = log.read(from, begunEnd !== undefined ? begunEnd - from : max);
        if (batch.length === 0) continue;
        // A replayed batch is handed out as it was cut; a new one may wait to fill.
        if (begunEnd === undefined && !this.filled(log.topic, batch, max)) continue;
        this.fillingSince.delete(log.topic);
        didWork = true;
        if (this.options.stableBatches && begunEnd === undefined) {
          this.pending[log.topic] = batch[batch.length - 1].offset + 1;
          await this.save();
        }
        const slice: ConsumedMessage[] = batch.map((b) => ({ key: b.message.key, value: b.message.value, offset: String(b.offset), headers: b.message.headers }));
        const next = (part: ConsumedMessage[]) => Number(part[part.length - 1].offset) + 1;
        let done: boolean;
        try {
          done = await runSlice(
            slice,
            {
              handle: (part) => handler({ topic: log.topic, partition: 0, generation: 0, highWatermark: String(log.end), messages: part }),
              // One message handed alone is a batch of its own: a crash replays it alone.
              begin: async (part) => {
                if (!this.options.stableBatches) return;
                this.pending[log.topic] = next(part);
                await this.save();
              },
              commit: async (part) => this.commit(log, next(part)),
              deadLetter: (message, error, attempts) => this.deadLetters.send(message, { topic: log.topic, partition: 0, error, attempts }),
              active: () => !this.stopped,
              wait: (ms) => this.sleep(ms),
              onRetry: (error, attempt) => this.deadLetters.logRetry(error, { topic: log.topic, partition: 0, attempt }),
            },
            this.deadLetters.policy,
          );
        } catch (err) {
          this.logger.warn({ err, topic: log.topic, groupId: this.options.groupId, retryMs }, 'batch handler failed; redelivering');
          await this.sleep(retryMs);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
          continue;
        }
        if (!done) continue;
        retryMs = RETRY_MIN_MS;
      }
      if (!didWork && !this.stopped) await this.idle();
    }
  }

  /**
   * Whether a batch may go now (batchFill): once it is full, holds
   * minBytes, or its first message has waited maxWaitMs. The clock starts
   * when the consumer first sees a message waiting.
   */
  private filled(topic: string, batch: { message: StoredMessage }[], max: number): boolean {
    const fill = this.options.batchFill;
    if (!fill || batch.length >= max) return true;
    const since = this.fillingSince.get(topic) ?? Date.now();
    this.fillingSince.set(topic, since);
    if (Date.now() - since >= fill.maxWaitMs) return true;
    let bytes = 0;
    for (const b of batch) bytes += b.message.value.length;
    return bytes >= fill.minBytes;
  }

  /** Until something is appended, or the earliest batch waiting to fill is due. */
  private idle(): Promise<void> {
    const fill = this.options.batchFill;
    if (!fill || this.fillingSince.size === 0) return new Promise<void>((resolve) => (this.wake = resolve));
    const due = Math.min(...this.fillingSince.values()) + fill.maxWaitMs - Date.now();
    return this.sleep(Math.max(1, due));
  }

  private async commit(log: TopicLog, next: number): Promise<void> {
    this.offsets[log.topic] = next;
    delete this.pending[log.topic];
    log.committed.set(this.options.groupId, next);
    await this.save();
    log.trim();
  }

  /**
   * The group's offsets, durably: a temporary file fsynced, then renamed over
   * the old one. Asynchronous, because the fsync is a wait on the disk that
   * would otherwise hold every other stage of the process: two per batch.
   */
  private async save(): Promise<void> {
    if (!this.offsetsFile) return;
    if (!this.offsetsDirMade) {
      await fs.promises.mkdir(path.dirname(this.offsetsFile), { recursive: true });
      this.offsetsDirMade = true;
    }
    await writeFileDurably(this.offsetsFile, JSON.stringify({ offsets: this.offsets, pending: this.pending }));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.options.topics) this.bus.topic(t).off('append', this.onAppend);
    this.onAppend();
    await this.loop;
  }
}

/** Follows one local topic from its start; appends are in memory before they are announced, so it is always caught up after a pump. */
class LocalTopicReader implements BusTopicReader {
  private position = 0;
  private handler: ReaderHandler | undefined;

  constructor(
    private readonly log: TopicLog,
    private readonly id: string,
  ) {}

  async run(handler: ReaderHandler): Promise<void> {
    this.handler = handler;
    // Registered like a group, so the log keeps what this reader has not read yet.
    this.log.committed.set(this.id, this.position);
    this.log.on('append', this.pump);
    this.pump();
  }

  private readonly pump = () => {
    if (!this.handler) return;
    for (;;) {
      const batch = this.log.read(this.position, 1000);
      if (batch.length === 0) break;
      this.handler(
        0,
        batch.map((b) => ({ key: b.message.key, value: b.message.value, offset: String(b.offset), headers: b.message.headers })),
      );
      this.position = batch[batch.length - 1].offset + 1;
    }
    this.log.committed.set(this.id, this.position);
  };

  async caughtUp(): Promise<void> {
    this.pump();
  }

  async stop(): Promise<void> {
    this.log.off('append', this.pump);
    this.log.committed.delete(this.id);
    this.handler = undefined;
  }
}
