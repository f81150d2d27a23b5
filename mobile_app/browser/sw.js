// Trinvis' service worker (written into the build by mobile_app/web_build.py).
// Keeps every file of one version in its own cache, so the app opens without a network after
// the first visit. A new version installs beside the old one and waits: the page offers
// "Ny version — genindlæs", and only then does the new one take over (the young person's
// unsent changes live in IndexedDB, which an update never touches).
const VERSION = "__VERSION__";
const FILES = "__FILES__";
const CACHE = "trinvis-app-" + VERSION;

self.addEventListener("install", (event) => {
  // Default cache mode: the server's ETag lets the browser reuse what the page just loaded.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("trinvis-app-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "version" && event.source) event.source.postMessage({ version: VERSION });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const scope = self.registration.scope;
  // Only the app's own files: /api/v1 and everything else go to the network untouched.
  if (request.method !== "GET" || !request.url.startsWith(scope)) return;
  const path = request.url.slice(scope.length).split("#")[0].split("?")[0];
  if (path === "sw.js") return;
  const key = path === "" || path === "index.html" ? scope : scope + path;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key, { ignoreSearch: true });
    return hit || fetch(request);
  })());
});
