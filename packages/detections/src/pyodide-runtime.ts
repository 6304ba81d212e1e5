import type { Logger } from '@caracal/core';
import { loadPyodide } from 'pyodide';
import { DetectionRuntimeError } from './errors';
import { readPythonSources } from './python-sources';
import { mountPythonPackages } from './python-wheels';
import { guardedFunction } from './sandbox/guarded-function';

/** Where the harness sources live inside the interpreter's in-memory file system. */
const PYTHON_ROOT = '/caracal/python';

/** What the host gives the harness; each function is wrapped so Python can only call it. */
export interface RuntimeHostHooks {
  /**
   * Asked by Python's supervision signal handler while a run is going:
   * whether it must stop (VERDICT_* of supervision-clock.ts). Which run is
   * going, Python does not say: the host reads it (currentRun).
   */
  verdict(): number;
  /** The tenant's key-value store, bound to the tenant by the host. */
  kvCall(requestJson: string): string;
  timeLimitMs: number;
  memoryLimitMb: number;
}

export interface PyodideRuntimeOptions {
  /** Names the interpreter in logs (e.g. the tenant). */
  label: string;
  logger?: Logger;
  /** Pyodide's interrupt buffer: read by Python every few bytecodes for the supervision signal. */
  interruptBuffer?: { [index: number]: number };
  host?: RuntimeHostHooks;
}

export interface ContentLoadError {
  kind: 'rule' | 'dataModel';
  id: string;
  errorType: string;
  message: string;
  traceback: string;
}

type PyCallable<A extends unknown[], R> = ((...args: A) => R) & { destroy(): void };

/** A Python `bytes` as JavaScript holds it: a proxy whose buffer is a view of wasm memory. */
interface PyBytes {
  getBuffer(type: 'u8'): { data: Uint8Array; release(): void };
  destroy(): void;
}

/** The same memory as a plain Uint8Array: Pyodide refuses typed arrays of other classes (a Buffer). */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The bytes, copied out of wasm memory (the next call into Python may reuse it); the proxy is freed. */
function takeBytes(bytes: PyBytes): Buffer {
  try {
    const buffer = bytes.getBuffer('u8');
    try {
      return Buffer.from(buffer.data);
    } finally {
      buffer.release();
    }
  } finally {
    bytes.destroy();
  }
}

/**
 * The harness functions, taken once (each attribute access would make a new
 * proxy) and before the sandbox hides the modules behind them.
 */
interface Harness {
  load_content: PyCallable<[string, string], string>;
  evaluate_batch: PyCallable<[Uint8Array, string, boolean, string | undefined], PyBytes>;
  run_rule_tests: PyCallable<[Uint8Array, string, boolean], PyBytes>;
}

/** supervision.py's RULE_SPAN: how a run's (unit, rule) is packed into one word. */
const RULE_SPAN = 2 ** 24;
const UNIT_OFFSET = 2;

interface Emscripten {
  readonly HEAPU8: Uint8Array;
}

/**
 * One Pyodide interpreter with the Caracal harness loaded and the sandbox
 * applied. Calls are synchronous and must not overlap; callers serialize them.
 */
export class PyodideRuntime {
  private harness: Harness | undefined;

  private constructor(
    harness: Harness,
    private readonly options: PyodideRuntimeOptions,
    private readonly emscripten: Emscripten,
    /**
     * supervision.WHERE: its byte address in wasm memory (-1: no host hooks),
     * and its buffer, held for the interpreter's life: while it is exported
     * the array cannot be resized, so the address holds.
     */
    private readonly whereAddress: number,
    private readonly whereBuffer: unknown,
  ) {
    this.harness = harness;
  }

  static async start(options: PyodideRuntimeOptions): Promise<PyodideRuntime> {
    const started = Date.now();
    const { label, logger } = options;
    const output = (stream: string) => (line: string) => logger?.debug({ interpreter: label, stream }, line);
    let pyodide;
    try {
      pyodide = await loadPyodide({
        // Python's `js` module is this object, not the Node global scope; without
        // a prototype it does not even lead to `Function`.
        jsglobals: Object.create(null) as object,
        env: { HOME: '/home/pyodide' },
        // End of input: the process's own stdin is the parent's message pipe, never Python's.
        stdin: () => null,
        stdout: output('stdout'),
        stderr: output('stderr'),
      });
    } catch (err) {
      throw new DetectionRuntimeError(`cannot start the Python interpreter for ${label}`, { code: 'UNAVAILABLE', cause: err });
    }
    await mountPythonPackages(pyodide, label);
    const sources = await readPythonSources();
    let harness: Harness;
    let whereAddress = -1;
    let whereBuffer: unknown;
    try {
      for (const file of sources) {
        const target = `${PYTHON_ROOT}/${file.relativePath}`;
        pyodide.FS.mkdirTree(target.slice(0, target.lastIndexOf('/')));
        pyodide.FS.writeFile(target, file.source);
      }
      pyodide.runPython(`import sys\nsys.path.insert(1, ${JSON.stringify(PYTHON_ROOT)})`);
      const module = pyodide.pyimport('_caracal.harness');
      // Attribute proxies are borrowed from the module's; copies outlive it.
      harness = {
        load_content: module.load_content.copy(),
        evaluate_batch: module.evaluate_batch.copy(),
        run_rule_tests: module.run_rule_tests.copy(),
      };
      if (options.interruptBuffer) pyodide.setInterruptBuffer(options.interruptBuffer as unknown as Int32Array);
      if (options.host) {
        const { host } = options;
        const connect = module.connect_host.copy();
        const where = connect(guardedFunction(host.verdict), guardedFunction(host.kvCall), host.timeLimitMs, host.memoryLimitMb);
        connect.destroy();
        const buffer = where.getBuffer();
        whereAddress = buffer.data.byteOffset;
        whereBuffer = buffer;
        where.destroy();
      }
      const lockDown = module.lock_down.copy();
      lockDown();
      lockDown.destroy();
      module.destroy();
    } catch (err) {
      throw new DetectionRuntimeError(`cannot install the detection harness for ${label}`, { code: 'INTERNAL', cause: err });
    }
    logger?.debug({ interpreter: label, ms: Date.now() - started }, 'python interpreter started');
    const emscripten = (pyodide as unknown as { _module: Emscripten })._module;
    return new PyodideRuntime(harness, options, emscripten, whereAddress, whereBuffer);
  }

  private call<T>(what: string, fn: (h: Harness) => T): T {
    const harness = this.harness;
    if (!harness) throw new DetectionRuntimeError(`interpreter ${this.options.label} is closed`, { code: 'UNAVAILABLE' });
    try {
      return fn(harness);
    } catch (err) {
      throw new DetectionRuntimeError(`${what} failed in interpreter ${this.options.label}`, { cause: err });
    }
  }

  /** Loads the content (customer code runs for the first time here, inside the sandbox). */
  /** refusedRulesJson: {rule index: reason} of rules not to load (they killed a worker). */
  loadContent(payloadJson: string, refusedRulesJson = '{}'): { loadErrors: ContentLoadError[]; rules: number } {
    return JSON.parse(this.call('loading content', (h) => h.load_content(payloadJson, refusedRulesJson)));
  }

  /**
   * events: a UTF-8 JSON array; the answer is UTF-8 JSON too, neither ever a
   * JavaScript string. refusedJson: {"event:rule": reason} of runs not to
   * repeat. withTimings: an object `{outcomes, ruleSeconds}` instead of the
   * outcome list (decodeEvaluation). tenantId: refuse (a `tenantMismatch`
   * answer, nothing run) events that name another tenant.
   */
  evaluateBatch(events: Uint8Array, refusedJson = '{}', withTimings = false, tenantId?: string): Buffer {
    return this.call('evaluating a batch', (h) => takeBytes(h.evaluate_batch(plainBytes(events), refusedJson, withTimings, tenantId)));
  }

  /**
   * tests: a UTF-8 JSON array; the answer UTF-8 JSON. refusedJson: {test
   * index: reason} of tests not to repeat. withOutcomes: each result also
   * carries what the detection returned (a match, an error, or null).
   */
  runRuleTests(tests: Uint8Array, refusedJson = '{}', withOutcomes = false): Buffer {
    return this.call('running rule tests', (h) => takeBytes(h.run_rule_tests(plainBytes(tests), refusedJson, withOutcomes)));
  }

  /**
   * The supervised run Python is in, read from its memory: no call into
   * Python, so it also answers while Python is stopped mid-run (a signal
   * handler's tick) or after it failed.
   */
  currentRun(): { unit: number; rule: number } | undefined {
    if (this.whereAddress < 0) return undefined;
    // A fresh view each time: growing the memory replaces the buffer. The word is a little-endian int64.
    const words = new Int32Array(this.emscripten.HEAPU8.buffer, this.whereAddress, 2);
    const token = words[1] * 2 ** 32 + (words[0] >>> 0);
    if (token <= 0) return undefined;
    const unit = Math.floor((token - 1) / RULE_SPAN) - UNIT_OFFSET;
    return { unit, rule: (token - 1) % RULE_SPAN };
  }

  /** Bytes of wasm memory this interpreter holds: it only grows, so this is its cost. */
  heapBytes(): number {
    // A fresh view each time: growing the memory replaces HEAPU8.
    return this.emscripten.HEAPU8.length;
  }

  /** Pyodide has no explicit teardown; dropping the last proxy lets the heap be collected. */
  close(): void {
    const harness = this.harness;
    this.harness = undefined;
    if (harness) for (const fn of Object.values(harness)) fn.destroy();
  }
}
