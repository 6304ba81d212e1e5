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
  /** Called by Python at the start of every supervised run; answers the run's sequence number. */
  reportProgress(unit: number, rule: number): number;
  /** The run the host declared overdue (0: none). */
  overdueSeq(): number;
  memoryExceeded(): boolean;
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

/**
 * The harness functions, taken once (each attribute access would make a new
 * proxy) and before the sandbox hides the modules behind them.
 */
interface Harness {
  load_content: PyCallable<[string, string], string>;
  evaluate_batch: PyCallable<[string, string, boolean], string>;
  run_rule_tests: PyCallable<[string, string, boolean], string>;
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
    private readonly emscripten: { readonly HEAPU8: { readonly length: number } },
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
        connect(
          guardedFunction(host.reportProgress),
          guardedFunction(host.overdueSeq),
          guardedFunction(host.memoryExceeded),
          guardedFunction(host.kvCall),
          host.timeLimitMs,
          host.memoryLimitMb,
        );
        connect.destroy();
      }
      const lockDown = module.lock_down.copy();
      lockDown();
      lockDown.destroy();
      module.destroy();
    } catch (err) {
      throw new DetectionRuntimeError(`cannot install the detection harness for ${label}`, { code: 'INTERNAL', cause: err });
    }
    logger?.debug({ interpreter: label, ms: Date.now() - started }, 'python interpreter started');
    const emscripten = (pyodide as unknown as { _module: { HEAPU8: { readonly length: number } } })._module;
    return new PyodideRuntime(harness, options, emscripten);
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
   * refusedJson: {"event:rule": reason} of runs not to repeat. withTimings:
   * an object `{outcomes, ruleSeconds}` instead of the outcome list (decodeEvaluation).
   */
  evaluateBatch(eventsJson: string, refusedJson = '{}', withTimings = false): string {
    return this.call('evaluating a batch', (h) => h.evaluate_batch(eventsJson, refusedJson, withTimings));
  }

  /**
   * refusedJson: {test index: reason} of tests not to repeat. withOutcomes:
   * each result also carries what the detection returned (a match, an error, or null).
   */
  runRuleTests(testsJson: string, refusedJson = '{}', withOutcomes = false): string {
    return this.call('running rule tests', (h) => h.run_rule_tests(testsJson, refusedJson, withOutcomes));
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
