// Keeps the verifier working with no network: its page and assets come from this cache when
// the network fails (network first, so an online officer always gets the current version).
"use strict";
const CACHE = "kervan-verify-__VERSION__";
const ASSETS = ["/verify", "/verify/verify.js", "/verify/jsQR.js", "/verify/verify.css",
  "/verify/manifest.webmanifest", "/verify/icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith("kervan-verify-") && n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  const path = url.pathname;
  if (!ASSETS.includes(path)) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) { const copy = response.clone(); caches.open(CACHE).then((c) => c.put(path, copy)); }
    return response;
  }).catch(() => caches.match(path, { ignoreVary: true, ignoreSearch: true })));
});
