/* Pocketbook's service worker {{ version }}: the app shell and static files from the cache, pages from the network.
   Pages are never cached (they hold personal data); without a signal a page is answered by the offline app,
   which draws it from the caseload kept in IndexedDB. Workbox (MIT) does the routing and strategies. */
importScripts({% for url in workbox %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %});

const SHELL_CACHE = "pb-shell-{{ version }}";
const SHELL_URL = "{{ shell_url }}";
const STATIC_URL = "{{ static_url }}";
const PRECACHE = [{% for url in precache %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("pb-") && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkOnly, StaleWhileRevalidate } = workbox.strategies;

// Static files: hashed names in production, so the cached copy is right; revalidated quietly all the same.
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith(STATIC_URL) && request.method === "GET",
  new StaleWhileRevalidate({ cacheName: SHELL_CACHE })
);

// Pages: always from the network (a weak signal gets 8 s), else the offline app.
registerRoute(({ request }) => request.mode === "navigate", new NetworkOnly({ networkTimeoutSeconds: 8 }));

setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const shell = await caches.match(SHELL_URL, { cacheName: SHELL_CACHE });
    if (shell) return shell;
  }
  return Response.error();
});
