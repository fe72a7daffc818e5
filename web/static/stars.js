// Hearts (favourites): which songs, albums and artists have one, from GET
// /api/favourites; the heart buttons that put one on or take it off (POST
// and DELETE /api/stars); the small heart in a starred song's row.
// Everything on screen
// follows `userdata` events, so a heart set in another page or a Subsonic
// app shows here within a second.
import { el, icon, toast } from './dom.js';

const starred = { song: new Set(), album: new Set(), artist: new Set() };
let loading = null; // the Promise of the fetch in flight
let again = false;  // asked for while one was in flight: its answer may be older
let timer = 0;

// isStarred reports whether the song, album or artist (kind) id has a
// heart, as last fetched (false until the first answer).
export const isStarred = (kind, id) => !!starred[kind]?.has(id);

// load fetches GET /api/favourites ({songs, albums, artists}) into the
// cache and updates the page; it resolves when done (a failure keeps what
// was known). Asked while a fetch is in flight, it fetches once more after.
export function load() {
  if (loading) { again = true; return loading; }
  loading = fetch('/api/favourites', { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText))))
    .then((f) => {
      for (const [kind, list] of [['song', f.songs], ['album', f.albums], ['artist', f.artists]]) {
        starred[kind] = new Set((list || []).map((x) => x.id));
      }
      sync();
    }, () => {})
    .finally(() => {
      loading = null;
      if (again) { again = false; load(); }
    });
  return loading;
}

// sync shows the cache on every heart button and song row on the page.
function sync() {
  for (const b of document.querySelectorAll('button[data-heart-kind]')) {
    b.setAttribute('aria-pressed', String(isStarred(b.dataset.heartKind, b.dataset.heartId)));
  }
  for (const b of document.querySelectorAll('.row[data-track-id]')) b.classList.toggle('starred', isStarred('song', b.dataset.trackId));
}

// setStar puts a heart on (on true) or takes it off kind id through the
// API, showing it at once and undoing that when the server refuses.
export async function setStar(kind, id, on) {
  const had = isStarred(kind, id);
  starred[kind][on ? 'add' : 'delete'](id);
  sync();
  try {
    const r = await fetch('/api/stars', { method: on ? 'POST' : 'DELETE', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind, id }) });
    if (!r.ok) throw new Error((await r.json().catch(() => null))?.error || r.statusText);
  } catch (e) {
    starred[kind][had ? 'add' : 'delete'](id);
    sync();
    toast(`Couldn't change the favourite: ${e.message}`);
  }
}

// HEART is the heart icon's path (outlined; filled by CSS when pressed).
const HEART = 'M12 20s-7-4.4-9-9a4.8 4.8 0 0 1 9-3 4.8 4.8 0 0 1 9 3c-2 4.6-9 9-9 9z';

// heartButton returns a 44 px toggle <button> (aria-pressed) that puts a
// heart on kind ('song', 'album' or 'artist') id, named label ("Favourite:
// Odelay"), and stays in step with the hearts set elsewhere.
export function heartButton(kind, id, label) {
  const b = el('button', 'heart ctl');
  b.type = 'button';
  b.dataset.heartKind = kind;
  b.dataset.heartId = id;
  b.setAttribute('aria-label', label);
  b.setAttribute('aria-pressed', String(isStarred(kind, id)));
  b.append(icon(HEART));
  b.addEventListener('click', () => setStar(kind, id, !isStarred(kind, id)));
  return b;
}

// A change of hearts anywhere (this page, another, a Subsonic app) or a
// rescan that found moved files: fetch them again, once for a burst.
addEventListener('earshot:userdata', (e) => {
  if (e.detail?.what !== 'stars' && e.detail?.what !== 'moved') return;
  clearTimeout(timer);
  timer = setTimeout(load, 30);
});
load();
