// Earshot's browser player: routes between the library's views (hash
// routes, so the server needs no page per path), keeps the status line and
// the views current from /api/events or by polling, and wires the keyboard.
import { count, plural } from './format.js';
import { $, toast, watchCovers, titleOf, artistOf, icon, WARN_PATH } from './dom.js';
import { OFFLINE, getJSON, forget } from './api.js';
import * as views from './views.js';
import * as videos from './video.js';
import * as mine from './mine.js';
import './plays.js'; // reports plays (POST /api/plays)
import * as lists from './playlists.js';
import { play, nowPlaying, onTrackChange, setFallback } from './player.js';
import './keys.js'; // the keyboard shortcuts and, through them, the queue panel
import './playlink.js'; // #/play/{id}: the desktop window's double-click
import './connect.js'; // Connect an app: app passwords for Subsonic apps
import { announce } from './a11y.js';
import { initUploads } from './upload.js';
import './nowplaying.js'; // tapping the player bar's track: Now Playing, lyrics, "Resume at"

const view = $('view'), search = $('search');
let status = null, offline = false, pollTimer = 0, live = false;
let shown = null;   // the view on screen: {title, nodes, queue, empty}
let routing = 0;    // counts routes; a slower, older one drops its result
let fresh = false;  // the next route follows a link: start at its top
let pushedSearch = false; // the search route was pushed by typing here

// Scroll positions by route, kept across a reload.
const scrolls = new Map();
try { for (const [k, v] of JSON.parse(sessionStorage.getItem('earshot.scroll') || '[]')) scrolls.set(k, v); } catch { /* none */ }
history.scrollRestoration = 'manual';

const decode = (s) => { try { return decodeURIComponent(s); } catch { return s; } };
const keyOf = (url) => new URL(url, location.href).hash || '#/';

// parse maps a location hash to its tab and the view that renders it:
// #/  #/albums  #/albums/{id}  #/artists[/{id}]  #/genres[/{id}]
// #/folders/{a}/{b}…  #/problems  #/videos[/{id}]  #/playlists[/{id}]  #/search?q=…
// #/favourites  #/history/{recent|most|added}
function parse(hash) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [tab = 'songs', id, ...rest] = path.split('/').filter(Boolean).map(decode);
  const one = { albums: 'album', artists: 'artist', genres: 'genre' }[tab];
  if (one) return { tab, load: id ? () => views[one](id) : mine[tab] || views[tab] };
  if (tab === 'favourites' || tab === 'history') return { tab: 'favourites', load: id ? () => mine.history(id) : mine.favourites };
  if (tab === 'videos') return { tab, load: id ? () => videos.video(id) : videos.videos };
  if (tab === 'playlists') return { tab, load: id ? () => lists.playlist(id) : lists.playlists };
  if (tab === 'folders') return { tab, load: () => views.folders([id, ...rest].filter(Boolean).join('/')) };
  if (tab === 'problems') return { tab: 'folders', load: views.problems };
  if (tab === 'search') {
    const q = new URLSearchParams(query).get('q')?.trim() || '';
    if (q) return { tab, q, load: () => views.search(q) };
  }
  return { tab: 'songs', load: mine.songs };
}

// route shows the view of the current hash. keep re-renders in place
// after a library change: scroll position and focus stay.
async function route(keep = false) {
  const id = ++routing, key = keyOf(location.href), r = parse(location.hash);
  for (const a of $('tabs').querySelectorAll('a')) {
    if (a.dataset.tab === r.tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (r.tab !== 'search') { search.value = ''; pushedSearch = false; }
  else if (search.value.trim() !== r.q) search.value = r.q;
  const y = keep ? scrollY : fresh ? 0 : scrolls.get(key) || 0;
  const focus = keep && document.activeElement;
  const focusSel = focus && ['trackId', 'albumId', 'artistId', 'genreId', 'folderPath']
    .filter((k) => k in focus.dataset).map((k) => `[data-${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}="${CSS.escape(focus.dataset[k])}"]`)[0];
  fresh = false;
  const slow = setTimeout(() => { if (!keep) { view.replaceChildren(); showEmpty('Loading…'); } }, 300);
  let v;
  try {
    v = await r.load();
  } catch (e) {
    v = { error: e };
  } finally {
    clearTimeout(slow);
  }
  if (id !== routing) return;
  if (v.error) {
    if (keep && shown && v.error.status !== 404) return toast(`Couldn't refresh the library: ${v.error.message}`);
    shown = null;
    view.replaceChildren();
    offline ||= !!v.error.offline;
    renderStatus();
    return showEmpty(v.error.status === 404 ? 'This page is not in the library (any more).'
      : v.error.offline ? OFFLINE : `Couldn't load the library: ${v.error.message}`, !v.error.status || v.error.status >= 500);
  }
  const wasShown = shown;
  shown = v;
  view.replaceChildren(...v.nodes);
  showEmpty(v.empty && status?.scanning ? 'Scanning your music folder…' : v.empty || '');
  if (!nowPlaying()) document.title = r.tab === 'songs' ? 'Earshot' : `${v.title} — Earshot`;
  markCurrent(false);
  scrollTo(0, y);
  views.layout(); // the track lists' rows for this scroll position, now
  if (v.announce && !keep) announce(v.announce); // the search result count
  if (focusSel) view.querySelector(focusSel)?.focus({ preventScroll: true });
  else if (!keep && wasShown && r.tab !== 'search' && document.activeElement !== search) view.querySelector('h2')?.focus({ preventScroll: true });
  renderStatus();
}

// refresh refetches the view on screen after the library changed; calls
// close together make one.
let refreshTimer = 0;
function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { forget(); route(true); }, 50);
}

function showEmpty(msg, retry = false) {
  $('empty-text').textContent = msg || '';
  $('empty').hidden = !msg;
  $('retry').hidden = !retry;
}

// markCurrent marks the playing track's rows; scroll reveals the first,
// rendering it if the list had not (lists render only what is in view).
function markCurrent(scroll) {
  const t = nowPlaying();
  views.setCurrent(t?.id, view);
  if (scroll && t) views.scrollToTrack(t.id, view);
}
// A new track is announced when it is to play (not one restored paused).
onTrackChange((t, auto, playing) => {
  markCurrent(auto);
  if (playing) announce(`Now playing: ${titleOf(t)} by ${artistOf(t)}`);
});
setFallback(() => shown?.queue || []);

addEventListener('earshot:refresh', refresh); // a view's own controls changed what it shows
addEventListener('hashchange', (e) => {
  scrolls.set(keyOf(e.oldURL), scrollY);
  route();
});
addEventListener('pagehide', () => {
  scrolls.set(keyOf(location.href), scrollY);
  try { sessionStorage.setItem('earshot.scroll', JSON.stringify([...scrolls].slice(-50))); } catch { /* not kept */ }
});
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="#"]');
  if (!a || e.defaultPrevented || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (a.hash === location.hash || (a.hash === '#/' && !location.hash)) scrollTo(0, 0); // the tab on screen: back to its top
  else fresh = true;
});

// ---- status ----

async function poll() {
  clearTimeout(pollTimer);
  const prev = status, wasOffline = offline;
  try {
    status = await getJSON('/api/status');
    offline = false;
    const scanDone = prev?.scanning && !status.scanning;
    const changed = prev && !status.scanning && prev.tracks !== status.tracks;
    if (wasOffline || (!live && (scanDone || changed))) refresh();
  } catch (e) {
    offline = !!e.offline;
    if (!offline) toast(`Status: ${e.message}`);
  }
  renderStatus();
  if (!live) pollTimer = setTimeout(poll, offline ? 3000 : status?.scanning ? 1000 : 5000);
}

function renderStatus() {
  const st = $('status'), bar = $('scanbar'), fill = $('scanfill');
  const scanning = !offline && !!status?.scanning;
  let text = 'Connecting…';
  if (offline) text = OFFLINE;
  else if (scanning) {
    const { scanned = 0, total = 0 } = status;
    text = total ? `Scanning ${count(scanned)} of ${count(total)}…` : scanned ? `Scanning ${count(scanned)}…` : 'Scanning…';
    fill.style.width = total ? `${Math.min(100, (100 * scanned) / total)}%` : '';
    bar.classList.toggle('indet', !total);
  } else if (status) {
    const lib = status.library || '';
    const name = lib.split(/[\\/]/).filter(Boolean).pop() || lib || 'No music folder chosen';
    const vids = status.videos ? plural(status.videos, 'video') : '';
    text = [name, (status.tracks || !vids) && plural(status.tracks, 'track'), vids].filter(Boolean).join(' · ');
  }
  st.textContent = text;
  st.title = status?.library || '';
  st.classList.toggle('err', offline);
  bar.hidden = !scanning;
  renderMissing();
}

// MISSING is the notice's text while the library folder is gone from its
// path (status.missing, a drive unmounted): the lists stay on screen.
const MISSING = 'Library folder is missing — showing what was there';

// renderMissing fills the notice while the library folder is missing and
// empties it once the folder is back (or the server cannot be reached, when
// the status line says so instead). The notice is a live region that stays
// in the page, so screen readers announce it; it is filled only when the
// state changes, so progress updates do not announce it again.
function renderMissing() {
  const n = $('missing'), missing = !offline && !!status?.missing;
  if (missing === n.hasChildNodes()) return;
  if (!missing) { n.replaceChildren(); return; }
  n.replaceChildren(icon(WARN_PATH), document.createTextNode(MISSING));
}

// listen follows /api/events. Each connection starts with a "status"
// message (the /api/status body); "scan" carries a scan's progress
// ({kind: started|progress|done, scanned, total, tracks}), "library" says
// the library changed, "folder" ({missing}) that the library folder went
// missing or came back (a rescan and its "library" message follow). Events missed while disconnected are not replayed,
// so a reconnection refetches the view. While connected, polling stops.
let events = null; // the EventSource of /api/events, while open
function listen() {
  if (!window.EventSource) return;
  const es = events = new EventSource('/api/events');
  let connections = 0;
  const on = (name, f) => es.addEventListener(name, (e) => {
    let body;
    try { body = JSON.parse(e.data); } catch { return; }
    f(body);
    offline = false;
    renderStatus();
  });
  on('status', (body) => {
    const prev = status;
    status = body;
    live = true;
    clearTimeout(pollTimer);
    if (connections++ || (prev && prev.tracks !== body.tracks) || offline) refresh();
  });
  on('scan', ({ kind, scanned, total, tracks }) => {
    status = { ...status, scanning: kind !== 'done', scanned, total };
    if (kind === 'done') status.tracks = tracks;
  });
  on('folder', ({ missing }) => {
    status = { ...status, missing: !!missing };
  });
  // userdata ({what}): playlists, hearts or plays changed, here or in
  // another app. Modules showing them hear it as an 'earshot:userdata'
  // event; a view listing them (its userdata names the whats) is fetched again.
  on('userdata', (body) => {
    dispatchEvent(new CustomEvent('earshot:userdata', { detail: body }));
    if (shown?.userdata?.includes(body.what)) refresh();
  });
  on('library', ({ tracks }) => {
    status = { ...status, tracks };
    refresh();
    poll(); // the event counts songs only: the status has the videos too
  });
  es.addEventListener('error', () => {
    // EventSource retries by itself unless the answer was not a stream
    // (an older server: 404); then try again in a while.
    if (es.readyState === EventSource.CLOSED && events === es) setTimeout(() => { if (events === es) listen(); }, 30000);
    if (live) {
      live = false;
      poll();
    }
  });
}

// A page kept in the back/forward cache must not keep its event stream:
// browsers allow 6 connections per server, and a few such pages holding one
// each left none for the page on screen. Close it when the page is hidden
// and open it again (refetching the view) if the page comes back.
addEventListener('pagehide', () => { events?.close(); events = null; });
addEventListener('pageshow', (e) => { if (e.persisted && !events) { listen(); refresh(); } });

// ---- controls ----

$('retry').addEventListener('click', () => { showEmpty('Loading…'); poll(); refresh(); });

view.addEventListener('click', (e) => {
  if (e.target.closest('.more')) return; // a row's ⋯ menu, not the row
  const b = e.target.closest('li')?.querySelector('[data-track-id]');
  if (!b) return;
  const q = views.queueOf(b.closest('ul'));
  const t = q.find((x) => x.id === b.dataset.trackId);
  if (t) play(t, q);
});
watchCovers(view);
// ArrowDown/ArrowUp move between a list's rows; in a track list the next
// row is rendered first when it was outside the window.
view.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const li = e.target.closest('.list li');
  if (li && views.step(li, e.key === 'ArrowDown' ? 1 : -1)) e.preventDefault();
});

// Typing searches: the first letter pushes #/search (so Back returns to
// the view searched from), later ones replace it.
let searchTimer = 0;
function searchNow() {
  clearTimeout(searchTimer);
  const q = search.value.trim(), onSearch = parse(location.hash).tab === 'search';
  if (!q) {
    if (!onSearch) return;
    if (pushedSearch) history.back();
    else { history.replaceState(null, '', '#/'); route(); }
    return;
  }
  const h = `#/search?q=${encodeURIComponent(q)}`;
  if (h === location.hash) return;
  fresh = true;
  if (onSearch) { history.replaceState(null, '', h); route(); }
  else { location.hash = h; pushedSearch = true; }
}
search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchNow, 150); });
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { searchNow(); search.blur(); } // blur closes a phone's keyboard
  else if (e.key === 'Escape' && search.value) { search.value = ''; searchNow(); }
  else if (e.key === 'ArrowDown') { e.preventDefault(); view.querySelector('a, button')?.focus(); }
});

// The views scroll under a sticky header and a fixed player (and, on a
// phone, the tab bar); keep their heights in CSS so padding and
// scrollIntoView clear them.
const sizes = new ResizeObserver(() => {
  const s = document.documentElement.style;
  s.setProperty('--head-h', `${$('top').offsetHeight}px`);
  s.setProperty('--bar-h', `${$('player').offsetHeight}px`);
  s.setProperty('--tabs-h', `${$('tabs').offsetHeight}px`);
});
for (const id of ['top', 'player', 'tabs']) sizes.observe($(id));

// ---- offline shell ----

// The service worker (sw.js) keeps the page's own files so that it opens,
// and says the server cannot be reached, when the computer is off or away.
// Browsers allow service workers only in secure contexts: https, or this
// computer (localhost, 127.0.0.1). A phone on the LAN opens Earshot at an
// http:// address, so there the worker is refused and the page simply
// needs the server — that is expected, not an error.
function registerWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then((reg) => {
    // Hand over what this page loaded, so modules imported by modules are kept.
    const urls = performance.getEntriesByType('resource').map((e) => e.name).concat(location.href);
    reg.active?.postMessage({ cache: urls });
  }).catch(() => { /* no offline copy; the page works as before */ });
}

route();
poll();
listen();
registerWorker();
initUploads();
