// Earshot's service worker: keeps the app shell (the page, its modules,
// style sheet, icons and manifest) so the page opens when the server cannot
// be reached and says so. It never touches audio, covers or API data:
// requests under /api/ (streams, covers, JSON, events) are not answered
// here at all, so they go to the network as if there were no worker.
//
// Strategy: network first, cache as the fallback. Every shell request goes
// to the server; a good answer refreshes the cache, and only a failed one
// (server down, no network, or no answer within NETWORK_WAIT) is answered
// from the cache. A new release is therefore visible on the next load,
// with no stale-while-revalidate lag; VERSION only names the cache, so a
// change of this file's layout can drop old caches.
const VERSION = 'v1';
const CACHE = `earshot-shell-${VERSION}`;
const NETWORK_WAIT = 4000; // ms before a hanging network loses to the cache

// isShell reports whether url is part of the app shell: this origin, not
// the API, not the pairing link (it carries the access key), and not this
// worker's own script (the browser fetches that past any worker).
function isShell(url) {
  const u = new URL(url, self.location.href);
  return u.origin === self.location.origin && !u.pathname.startsWith('/api/') && u.pathname !== '/pair' && u.pathname !== '/sw.js';
}

// shellKey is the cache key of a shell URL: its path (a query string or
// hash never changes which file the server sends).
const shellKey = (url) => new URL(url, self.location.href).pathname;

// keep stores a good answer for key in the cache. Redirects, errors (a 401
// pairing page among them) and partial answers are not kept.
async function keep(key, resp) {
  if (!key || !resp || resp.status !== 200 || resp.redirected || resp.type !== 'basic') return;
  const c = await caches.open(CACHE);
  await c.put(key, resp);
}

// precache fetches the page and every same-origin file it links (modules,
// style sheet, icons, manifest), so the shell is whole before it is needed.
async function precache() {
  const page = await fetch('/', { cache: 'no-cache' });
  if (!page.ok) return;
  const html = await page.clone().text();
  await keep('/', page);
  const links = new Set(['/app.js', '/style.css', '/manifest.webmanifest']);
  for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) if (isShell(m[1])) links.add(shellKey(m[1]));
  await Promise.all([...links].map((p) => fetch(p, { cache: 'no-cache' }).then((r) => keep(p, r), () => {})));
}

self.addEventListener('install', (e) => {
  e.waitUntil(precache().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const k of await caches.keys()) if (k.startsWith('earshot-shell-') && k !== CACHE) await caches.delete(k);
    await self.clients.claim();
  })());
});

// The page sends the URLs it loaded ({cache: [url…]}), so modules imported
// by modules, which the page's <head> does not name, are kept too.
self.addEventListener('message', (e) => {
  const urls = Array.isArray(e.data?.cache) ? e.data.cache.filter(isShell).map(shellKey) : [];
  e.waitUntil(caches.open(CACHE).then(async (c) => {
    for (const p of new Set(urls)) {
      if (!(await c.match(p))) await fetch(p, { cache: 'no-cache' }).then((r) => keep(p, r), () => {});
    }
  }));
});

// fromNetwork fetches req, keeping a good answer; it rejects when the
// network fails or takes longer than NETWORK_WAIT.
function fromNetwork(req, key) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), NETWORK_WAIT);
    fetch(req).then((resp) => {
      clearTimeout(timer);
      keep(key, resp.clone()).catch(() => {});
      resolve(resp);
    }, (err) => { clearTimeout(timer); reject(err); });
  });
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || !isShell(req.url)) return; // API, audio, covers: the network's
  const nav = req.mode === 'navigate';
  const key = nav ? '/' : shellKey(req.url); // every route is the one page, /#/…
  e.respondWith(fromNetwork(req, nav && shellKey(req.url) !== '/' ? null : key).catch(async () => {
    const hit = await caches.match(key, { cacheName: CACHE });
    if (hit) return hit;
    return Response.error();
  }));
});
