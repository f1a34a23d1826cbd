// Talkoo service worker. Generated at build time by talkoo-swgen from
// crates/talkoo-swgen/sw.template.js: edit the template, not dist/sw.js.
"use strict";

// Content hash of every precached file: a new build with any changed byte
// gets a new worker and a new cache, even if no file name changed.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const PREFIX = "talkoo-shell-";
const CACHE = PREFIX + VERSION;

const scope = new URL(self.registration.scope);
const shellUrl = (path) => new URL(path, scope).href;
const PRECACHED = new Set(PRECACHE.map(shellUrl));
const INDEX = shellUrl("index.html");

self.addEventListener("install", (event) => {
  // No skipWaiting(): a new version waits until the user accepts it, so an
  // open page never changes under the user's hands.
  // "no-cache": each file is checked with the server, so a stale copy in
  // the browser's cache is never kept, but one the server confirms is not
  // downloaded again. On a first visit that is the shell the page has just
  // downloaded, about 300 KB on a phone link (issue 13).
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new Request(shellUrl(p), { cache: "no-cache" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

async function fromCache(url) {
  const cache = await caches.open(CACHE);
  return cache.match(url);
}

// A badge or a data bundle shared to Talkoo from another app (Web Share
// Target) arrives as a form POST that no server could answer offline: the
// worker keeps the file or text in its own cache for the badges page, or a
// bundle for Settings, which takes it once.
const SHARE_CACHE = "talkoo-share";
const RECEIVE = shellUrl("badges/receive");
const SHARED = shellUrl("badges/shared");
const SHARED_BUNDLE = shellUrl("settings/shared-bundle");

async function receiveShare(request) {
  const form = await request.formData();
  const bundle = form.get("bundle");
  if (bundle) {
    const cache = await caches.open(SHARE_CACHE);
    await cache.put(SHARED_BUNDLE, new Response(bundle));
    return Response.redirect(shellUrl("settings?shared=1"), 303);
  }
  const part = form.get("badge") || form.get("text") || form.get("url");
  if (part) {
    const cache = await caches.open(SHARE_CACHE);
    await cache.put(SHARED, new Response(part));
  }
  return Response.redirect(shellUrl("badges?shared=1"), 303);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "POST" && request.url === RECEIVE) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!url.href.startsWith(scope.href)) return;

  if (request.mode === "navigate") {
    // Every route of the app is the same index.html; the cached one matches
    // the cached assets, so the shell starts the same with or without a
    // network. A page the cache lacks falls through to the network.
    event.respondWith(fromCache(INDEX).then((hit) => hit || fetch(request)));
    return;
  }

  url.search = "";
  if (PRECACHED.has(url.href)) {
    event.respondWith(fromCache(url.href).then((hit) => hit || fetch(request)));
  }
  // Anything else (the catalogue feed, hour submissions) goes to the network
  // untouched; the app keeps that data in IndexedDB itself.
});
