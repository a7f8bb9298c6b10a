/* The field app's service worker: keeps the shell and the operation's reference data for
   offline use, and sends the outbox on Background Sync. Captures (POSTs) are never cached
   or answered from here: they go to the server or stay in the outbox. */
importScripts("/field/static/outbox.js");

const SHELL = "corridor-field-shell-v2";
const DATA = "corridor-field-data-v1";
const ASSETS = [
  "/field/",
  "/field/manifest.webmanifest",
  "/field/static/field.css",
  "/field/static/field.js",
  "/field/static/outbox.js",
  "/field/static/icon.svg",
  "/field/static/icon-192.png",
  "/field/static/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL && n !== DATA).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

/* The network when it answers (and the copy kept fresh), the kept copy when it does not. */
async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key || request, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(key || request);
    if (kept) return kept;
    throw offline;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith("/field/")) return;
  if (request.mode === "navigate" || url.pathname === "/field/") {
    event.respondWith(networkFirst(request, SHELL, "/field/"));
  } else if (url.pathname.endsWith("/reference.json")) {
    event.respondWith(networkFirst(request, DATA));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    Outbox.sync().then((done) => {
      // A rejected sync is retried by the browser with its own backoff.
      if (done.stopped === "retry") throw new Error("the server did not answer; retry later");
    })
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "sync") event.waitUntil(Outbox.sync());
});
