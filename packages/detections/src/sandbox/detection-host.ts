import { constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { truncateUtf8 } from '@caracal/core';
import { PyodideRuntime } from '../pyodide-runtime';
import { readFrameSync, writeFrameSync } from './frame-codec';
import type { HostMessage, ParentMessage } from './host-protocol';
import { blockPyodideNetwork } from './network-block';
import { SupervisionClock } from './supervision-clock';

/**
 * The body of one sandboxed detection process: one tenant's interpreter, one
 * content, one request at a time. It holds nothing but what the parent sent
 * over stdin; its answers go to stdout as frames, so nothing else may write
 * there (console output goes to stderr). The sandbox around it (bubblewrap,
 * Node's permission model, seccomp) is the parent's doing, see sandbox-launch.ts.
 */

const IN = 0;
const OUT = 1;

// A stray console.log from a library would corrupt the frame stream.
const toStderr = (...args: unknown[]): void => {
  process.stderr.write(`${truncateUtf8(args.map(String).join(' '), 4096)}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

function send(message: HostMessage): void {
  writeFrameSync(OUT, message);
}

function receive(): ParentMessage {
  return readFrameSync(IN) as ParentMessage;
}

function errorMessage(err: unknown): string {
  const error = err as Error & { cause?: unknown };
  const cause = error?.cause instanceof Error ? `: ${error.cause.message}` : '';
  return truncateUtf8(`${error?.message ?? String(err)}${cause}`, 8192);
}

/**
 * Emscripten's NODEFS reads its open flags through `process.binding`, which
 * Node's permission model refuses; the same constants are public in `fs`.
 */
function provideFsConstants(): void {
  const binding = (name: string): unknown => {
    if (name === 'constants') return { fs: constants, os: osConstants };
    throw new Error(`process.binding('${name}') is not available in a detection process`);
  };
  Object.defineProperty(process, 'binding', { value: binding, configurable: true, writable: true });
}

async function main(): Promise<void> {
  blockPyodideNetwork();
  provideFsConstants();
  const init = receive();
  if (init.kind !== 'init') throw new Error(`expected init, got ${init.kind}`);
  const memoryLimitBytes = init.limits.memoryLimitMb * 1024 * 1024;
  let runtime: PyodideRuntime | undefined;
  const heapBytes = (): number => runtime?.heapBytes() ?? 0;
  const clock = new SupervisionClock({
    timeLimitMs: init.limits.detectionTimeoutMs,
    memoryLimitBytes,
    heapBytes,
    beat: (run) => send({ kind: 'beat', ...run }),
    overdue: (run) => send({ kind: 'overdue', ...run }),
    cleared: (seq) => send({ kind: 'cleared', seq }),
  });
  const kvCall = (requestJson: string): string => {
    const unit = runtime?.currentRun()?.unit;
    send({ kind: 'kv', requestJson, ...(unit !== undefined && unit >= 0 ? { unit } : {}) });
    const answer = receive();
    if (answer.kind !== 'kv-answer') throw new Error(`expected kv-answer, got ${answer.kind}`);
    return answer.answerJson;
  };
  const failed = (id: number, err: unknown): HostMessage => {
    clock.observe();
    const run = clock.currentRun();
    return { kind: 'failed', id, message: errorMessage(err), midRun: run !== undefined, heapBytes: heapBytes(), ...(run ? { unit: run.unit, rule: run.rule } : {}) };
  };

  try {
    runtime = await PyodideRuntime.start({
      label: init.label,
      interruptBuffer: clock.interruptBuffer,
      host: {
        verdict: () => clock.verdict(),
        kvCall,
        timeLimitMs: init.limits.detectionTimeoutMs,
        memoryLimitMb: init.limits.memoryLimitMb,
      },
    });
    const started = runtime;
    clock.follow(() => started.currentRun());
    const report = runtime.loadContent(init.payload, JSON.stringify(init.refusedLoads));
    clock.end();
    send({ kind: 'ready', loadErrors: report.loadErrors, heapBytes: heapBytes() });
  } catch (err) {
    send(failed(0, err));
    process.exit(1);
  }

  for (;;) {
    const request = receive();
    if (request.kind !== 'evaluate' && request.kind !== 'tests') throw new Error(`unexpected ${request.kind}`);
    let reply: HostMessage;
    try {
      const refused = JSON.stringify(request.refused);
      const body =
        request.kind === 'evaluate'
          ? runtime.evaluateBatch(request.body, refused, request.withTimings, request.tenantId)
          : runtime.runRuleTests(request.body, refused, request.withOutcomes);
      reply = { kind: 'result', id: request.id, body, heapBytes: heapBytes() };
    } catch (err) {
      reply = failed(request.id, err);
    }
    clock.end();
    send(reply);
    // A run that broke its interpreter leaves it unfit: the parent replaces this process.
    if (reply.kind === 'failed' && reply.midRun) process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`detection host: ${errorMessage(err)}\n`);
  process.exit(1);
});
