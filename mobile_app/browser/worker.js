// Trinvis' Python worker: replaces flet-web 1.0.5's python-worker.js in the build (written there by
// mobile_app/web_build.py, which checks that flet-web's own worker is still the one this follows).
// Same messages as flet-web's: the page posts {pyodideUrl, args, documentUrl, appPackageUrl,
// pythonModuleName} once, then the Flet protocol's bytes; the worker posts "initialized" or an
// error string, then the protocol's bytes.
//
// What it adds: a Pyodide memory snapshot. A start without one runs Pyodide's own start and then,
// a little later and in a second, short-lived worker, makes one: a fresh Pyodide that unpacks the
// app, imports the modules the app needs at start (mobile_app/browser/preload.py) and copies its
// memory into the Cache API. The next start restores that memory instead of starting Python and
// importing again. The snapshot holds code only: it is made in a Python that never ran the app,
// never opened the store, never saw the page (no flet_js, no JS objects held by Python). Its key is
// a digest of Pyodide, the app archive and this file (SNAPSHOT_KEY): another version never uses
// it. Whatever goes wrong with a snapshot (missing, corrupt, refused) ends in the normal start.
const SNAPSHOT_KEY = "__SNAPSHOT_KEY__";
const SNAPSHOT_CACHE = "trinvis-snapshot";
const SNAPSHOT_DELAY_MS = 4000; // after the app is up: the lock screen's first paint comes first
const PRELOAD_MODULE = "mobile_app.browser.preload";
const here = (name) => new URL(name, self.location.href).href;
const SNAPSHOT_URL = here("snapshot/" + SNAPSHOT_KEY); // a Cache API key only, never fetched
const STATUS_URL = here("snapshot/status");

self.flet_js = {}; // the Python side's bridge module (registered after Pyodide starts)
let userAppRunning = false;
flet_js.userAppStarting = () => { userAppRunning = true; };

function sendPythonOutput(text, isStderr) {
  // Before the app runs (or without the bridge) output goes to the dev console.
  if (!userAppRunning || !flet_js.send_python_output) {
    (isStderr ? console.error : console.log)(text);
    return;
  }
  // Pyodide calls these hooks with the GIL released: call back into Python later.
  queueMicrotask(() => flet_js.send_python_output(text, isStderr));
}

const pyOptions = {
  stdout: (text) => sendPythonOutput(text, false),
  stderr: (text) => sendPythonOutput(text, true),
};

// app.tar.gz (main.py, app.zip, __pypackages__/msgpack) into Python's working directory.
async function unpackApp(py, url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`Failed to download app package: HTTP ${resp.status} ${url}`);
  let tar = new Uint8Array(await resp.arrayBuffer());
  // The server may send it with Content-Encoding: gzip (then the browser has unzipped it already).
  if (tar[0] === 0x1f && tar[1] === 0x8b) {
    tar = new Uint8Array(await new Response(new Blob([tar]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  }
  const text = (bytes) => new TextDecoder().decode(bytes).split("\0")[0];
  let longName = null;
  for (let off = 0; off + 512 <= tar.length;) {
    const head = tar.subarray(off, off + 512);
    if (head.every((b) => b === 0)) break;
    const size = parseInt(text(head.subarray(124, 136)).trim() || "0", 8);
    const type = String.fromCharCode(head[156] || 48);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") { longName = text(data); continue; } // GNU long name of the next entry
    const name = longName || text(head.subarray(0, 100));
    longName = null;
    if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`Bad path in app package: ${name}`);
    if (type === "5") { py.FS.mkdirTree(name); continue; }
    if (type !== "0") continue;
    const dir = name.split("/").slice(0, -1).join("/");
    if (dir) py.FS.mkdirTree(dir);
    py.FS.writeFile(name, data);
  }
}

async function snapshotCache() {
  try { return await caches.open(SNAPSHOT_CACHE); } catch { return null; } // no Cache API: no snapshot
}

async function writeStatus(cache, status) {
  if (!cache) return;
  const body = JSON.stringify({ key: SNAPSHOT_KEY, ...status });
  await cache.put(STATUS_URL, new Response(body, { headers: { "content-type": "application/json" } })).catch(() => {});
}

// A Pyodide restored from this version's snapshot, or null (none, or refused: then it is deleted).
async function restore(loadPyodide, cache, status) {
  const hit = cache && await cache.match(SNAPSHOT_URL);
  if (!hit) return null;
  try {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (String(bytes.length) !== hit.headers.get("x-trinvis-length")) throw new Error("truncated snapshot");
    const py = await loadPyodide({ ...pyOptions, _loadSnapshot: bytes });
    // The snapshot must be the one its preload module was marked with; new random state per start.
    const ok = py.runPython(`import random, sys
random.seed()
getattr(sys.modules.get("${PRELOAD_MODULE}"), "SNAPSHOT_KEY", None) == "${SNAPSHOT_KEY}"`);
    if (ok !== true) throw new Error("snapshot does not hold this version's preload");
    return py;
  } catch (error) {
    status.rejected = String(error).slice(0, 300);
    console.warn("Trinvis: snapshot not used:", error);
    await cache.delete(SNAPSHOT_URL).catch(() => {});
    return null;
  }
}

const RUN_APP = `
import flet_js, os, runpy, sys
if os.path.exists("__pypackages__") and "__pypackages__" not in sys.path:
    sys.path.insert(0, "__pypackages__")
import msgpack as _msgpack

def _send_python_output(text, is_stderr):
    # Framed like PyodideConnection.send_message: a 0 type byte, then msgpack [action, body].
    flet_js.receive_callback(bytes([0]) + _msgpack.packb([7, {"text": text, "is_stderr": bool(is_stderr)}]))

flet_js.send_python_output = _send_python_output
flet_js.userAppStarting()
try:
    runpy.run_module(python_module_name, run_name="__main__")
except SystemExit as _exit:
    if _exit.code not in (None, 0):
        raise
`;

async function runApp(py, data) {
  py.registerJsModule("flet_js", flet_js);
  py.globals.set("python_module_name", data.pythonModuleName || "main");
  await py.runPythonAsync(RUN_APP);
  if (typeof flet_js.start_connection !== "function") {
    self.postMessage("__flet_no_ui__:Script finished without starting a Flet UI.");
    return false;
  }
  await flet_js.start_connection(receiveCallback);
  return true;
}

// AES-GCM for Python (mobile_app/browser/gcm.py): @noble/ciphers, vendored and copied by the build.
// A same-origin module import (the page's CSP has no eval); Python reaches it only after a restore.
async function loadGcm() {
  if (!self.trinvisGcm) self.trinvisGcm = (await import("./vendor/noble-ciphers/aes.js")).gcm;
}

// Pyodide (restored, or started normally) with the app's files: what the app needs before it runs.
async function prepare(data) {
  const t0 = performance.now();
  await loadGcm();
  const { loadPyodide } = await import(data.pyodideUrl);
  const cache = await snapshotCache();
  const status = { start: "normal", startedAt: Date.now(), prestarted: !!data.prestart };
  let py = await restore(loadPyodide, cache, status);
  if (py) {
    status.start = "snapshot";
    status.restoredMs = Math.round(performance.now() - t0);
  } else {
    py = await loadPyodide(pyOptions);
  }
  await unpackApp(py, data.appPackageUrl); // with a snapshot too: it holds no files
  return { py, cache, status, t0, loadPyodide };
}

async function start(data) {
  const ready = (prestarted && await prestarted) || await prepare(data);
  const { cache, status, t0 } = ready;
  try {
    if (await runApp(ready.py, data)) self.postMessage("initialized");
  } catch (error) {
    if (status.start !== "snapshot" || typeof flet_js.start_connection === "function") throw error;
    // The app did not come up from the snapshot: forget it and start the normal way.
    status.start = "normal";
    status.rejected = "app did not start from the snapshot: " + String(error).slice(0, 300);
    console.warn("Trinvis: start from snapshot failed, starting normally:", error);
    await cache.delete(SNAPSHOT_URL).catch(() => {});
    userAppRunning = false;
    const py = await ready.loadPyodide(pyOptions);
    await unpackApp(py, data.appPackageUrl);
    if (await runApp(py, data)) self.postMessage("initialized");
  }
  status.readyMs = Math.round(performance.now() - t0);
  await writeStatus(cache, status);
  if (cache && status.start === "normal") setTimeout(() => makeSnapshotInBackground(cache, data, status), SNAPSHOT_DELAY_MS);
}

// A second worker (this file, in "make" mode) makes the snapshot; this one keeps running the app.
async function makeSnapshotInBackground(cache, data, status) {
  for (const request of await cache.keys()) {
    if (request.url !== STATUS_URL && request.url !== SNAPSHOT_URL) await cache.delete(request); // other versions
  }
  if (await cache.match(SNAPSHOT_URL)) return;
  const maker = new Worker(self.location.href, { type: "module" });
  maker.onmessage = async (event) => {
    maker.terminate();
    if (event.data === "snapshot-made") return;
    // E.g. a module preload.py imports now holds a JS object: every start stays a normal one. Say so.
    console.warn("Trinvis: no snapshot made:", event.data);
    await writeStatus(cache, { ...status, makeFailed: String(event.data).slice(0, 300) });
  };
  maker.postMessage({ makeSnapshot: true, pyodideUrl: data.pyodideUrl, appPackageUrl: data.appPackageUrl });
}

async function makeSnapshot(data) {
  const { loadPyodide } = await import(data.pyodideUrl);
  const py = await loadPyodide({ _makeSnapshot: true });
  await unpackApp(py, data.appPackageUrl);
  py.runPython(`import gc, importlib, os, sys
for p in ("__pypackages__", os.path.abspath("app.zip")):
    sys.path.insert(0, p)
importlib.import_module("${PRELOAD_MODULE}").SNAPSHOT_KEY = "${SNAPSHOT_KEY}"
gc.collect()`);
  const bytes = py.makeMemorySnapshot();
  const cache = await caches.open(SNAPSHOT_CACHE);
  const headers = { "content-type": "application/octet-stream", "x-trinvis-length": String(bytes.length) };
  await cache.put(SNAPSHOT_URL, new Response(bytes, { headers }));
}

function receiveCallback(message) {
  // A JsProxy of Python bytes: a fresh Uint8Array whose buffer moves to the page without a copy.
  const bytes = message.toJs();
  self.postMessage(bytes, [bytes.buffer]);
}
flet_js.receive_callback = receiveCallback;

let initialized = false;
let prestarted = null; // the page started this worker before Flutter asked for it (page.html)
self.onmessage = async (event) => {
  if (event.data && event.data.prestart) {
    prestarted = prepare(event.data).catch((error) => {
      console.warn("Trinvis: prestart failed, starting when asked:", error);
      return null;
    });
  } else if (event.data && event.data.makeSnapshot) {
    try {
      await makeSnapshot(event.data);
      self.postMessage("snapshot-made");
    } catch (error) {
      self.postMessage(String(error));
    }
  } else if (!initialized) {
    initialized = true;
    flet_js.args = event.data.args;
    flet_js.documentUrl = event.data.documentUrl;
    try {
      await start(event.data);
    } catch (error) {
      console.error(error && error.stack);
      self.postMessage(String(error));
    }
  } else if (typeof flet_js.send === "function") {
    flet_js.send(event.data);
  } else {
    console.error("Flet: dropped a message for a Python app that never started.");
  }
};
