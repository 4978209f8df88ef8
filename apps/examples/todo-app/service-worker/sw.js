// The app's service worker. The build (vite.config.ts) replaces PRECACHE with every file of the
// bundle, so the whole app shell is cached while the service worker installs: a reload works
// offline from the very first visit. Pages are fetched from the network first and from the cache
// when it does not answer; hashed assets come from the cache. The sync API is never cached.
const PRECACHE = self.__PRECACHE__ ?? { version: "dev", files: ["/"] };
const CACHE = `lakesync-todo-${PRECACHE.version}`;
const API = /^\/(sync|admin|dev|health|iceberg|lake)(\/|$)/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.files))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("lakesync-todo-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || API.test(url.pathname))
    return;
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(caches.match(event.request).then((hit) => hit ?? fetch(event.request)));
    return;
  }
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          void caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() =>
        caches
          .match(event.request, { ignoreSearch: event.request.mode === "navigate" })
          .then((hit) => hit ?? caches.match("/"))
          .then((hit) => hit ?? Response.error()),
      ),
  );
});
