// The app shell works offline: same-origin GETs (except the sync API) are served from the
// network when it answers and from the cache when it does not.
const CACHE = "lakesync-todo-v1";
const API = /^\/(sync|admin|dev|health)(\/|$)/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || API.test(url.pathname))
    return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() =>
        caches
          .match(event.request)
          .then((hit) => hit ?? caches.match("/").then((shell) => shell ?? Response.error())),
      ),
  );
});
