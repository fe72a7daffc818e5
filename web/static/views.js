// The page's views, one per route: each fetches its data and returns the
// nodes to show. Tag text is only ever set with textContent.
import { clock, count, plural } from './format.js';
import { el, link, cover, titleOf, artistOf, toast, icon as svgIcon, WARN_PATH, ADD_TO_LIST_PATH } from './dom.js';
import * as api from './api.js';
import { play } from './player.js';
import { setShuffle } from './queue.js';
import { isStarred, heartButton } from './stars.js';
import { NEEDS_FFMPEG } from './skip.js';

const lists = new WeakMap(); // a track <ul> → its state: rows, queue, what is rendered

// queueOf returns the tracks a list of rows plays, in order: all of them,
// not only the rows in the DOM (of a list still loading, those arrived).
export function queueOf(ul) {
  const st = lists.get(ul);
  if (!st) return [];
  return st.loaded < st.total && st.queue === st.ts ? st.ts.filter(Boolean) : st.queue;
}

const enc = encodeURIComponent;
export const href = {
  album: (id) => `#/albums/${enc(id)}`,
  artist: (id) => `#/artists/${enc(id)}`,
  genre: (id) => `#/genres/${enc(id)}`,
  folder: (p) => `#/folders${p ? '/' + p.split('/').map(enc).join('/') : ''}`,
  playlist: (id) => `#/playlists/${enc(id)}`,
};

const item = (child) => {
  const li = el('li');
  li.append(child);
  return li;
};

// ---- virtual track lists ----
//
// A track list holds every track but renders only the rows near the
// window's visible part: rows have a fixed height (ROW_H, or NUM_H with
// track numbers) and are absolutely placed in a <ul> as tall as all of them,
// so 50,000 tracks cost some 40 <li> in the DOM. The page scrolls the
// window (the header is sticky, the player fixed), so the rendered range
// follows window scroll and resize. Rows keep DOM order = list order, carry
// aria-posinset/aria-setsize ("row n of N" for a screen reader), and the
// row holding focus is never removed.

const ROW_H = 60, NUM_H = 54; // px, as .vlist li in style.css
const MARGIN = 6;             // rows rendered beyond each edge of the window
let currentId = '';           // the playing track, marked aria-current

// more is the ⋯ button of a row; its menu is another module's (it finds
// the track by data-more-id).
const moreIcon = (() => {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  for (const cx of [5, 12, 19]) {
    const c = document.createElementNS(ns, 'circle');
    c.setAttribute('cx', cx);
    c.setAttribute('cy', 12);
    c.setAttribute('r', 2);
    svg.append(c);
  }
  return svg;
})();

function trackRow(t, num, albumArtist, plays) {
  const btn = el('button', num ? 'row num' : 'row');
  if (isStarred('song', t.id)) btn.classList.add('starred');
  btn.type = 'button';
  btn.dataset.trackId = t.id;
  if (t.id === currentId) btn.setAttribute('aria-current', 'true');
  const sub = el('span', 'sub');
  if (!num || artistOf(t) !== albumArtist) sub.append(el('span', 'ar', artistOf(t)));
  if (t.album && !num) sub.append(el('span', 'al', t.album));
  const text = el('span', 'text');
  text.append(el('span', 't', titleOf(t)), sub);
  // A track that needs ffmpeg (skipped when played) has no known length: it says so there.
  const d = t.needsFFmpeg ? el('span', 'd nf', NEEDS_FFMPEG) : el('span', 'd', plays ? plural(t.playCount || 0, 'play') : clock(t.duration));
  btn.append(num ? el('span', 'n', t.trackNumber || '') : cover(t.hasCover && t.id, 96), text, d);
  const more = el('button', 'more');
  more.type = 'button';
  more.dataset.moreId = t.id;
  more.setAttribute('aria-label', `More actions for ${titleOf(t)}`);
  more.setAttribute('aria-haspopup', 'menu');
  more.append(moreIcon.cloneNode(true));
  const li = item(btn);
  li.append(more);
  return li;
}

// trackList returns a virtual list of the rows of ts that play queue (ts
// by default); num shows track numbers instead of covers, as on an
// album's page; plays shows each track's playCount instead of its length.
// total is the length the list will have once [fill] has added the
// tracks still on their way (the whole list keeps its height meanwhile);
// ts then holds holes where they go. decorate(li, t, i), when given, is
// called on each row as it is rendered (a playlist adds its drag handle).
export function trackList(ts, label, { num = false, queue = ts, albumArtist = '', total = ts.length, plays = false, decorate = null } = {}) {
  const ul = el('ul', num ? 'list vlist' : 'list vlist wide');
  ul.setAttribute('role', 'list'); // list-style: none hides the role from Safari
  ul.setAttribute('aria-label', label);
  const loaded = ts.length;
  if (total > loaded) ts.length = total; // holes for the tracks to come
  const st = { ul, ts, queue, num, albumArtist, plays, total, loaded, decorate, h: num ? NUM_H : ROW_H, rows: new Map(), from: 0, to: 0 };
  ul.style.height = `${total * st.h}px`;
  ul.dataset.loaded = loaded; // tracks in the list so far (tests wait on it)
  lists.set(ul, st);
  render(st, 0, Math.min(loaded, 30)); // before it is placed: the first screenful
  return ul;
}

// render makes the rows [from, to) of st, plus the focused one, the only
// rows in its list, keeping those already there.
function render(st, from, to) {
  if (from === st.from && to === st.to) return;
  const focused = st.ul.contains(document.activeElement) ? document.activeElement.closest('li') : null;
  for (const [i, li] of st.rows) {
    if ((i < from || i >= to) && li !== focused) {
      li.remove();
      st.rows.delete(i);
    }
  }
  let next = st.ul.firstElementChild; // rows stay in list order
  for (let i = from; i < to; i++) {
    while (next && next.posinset <= i) next = next.nextElementSibling;
    if (st.rows.has(i) || !st.ts[i]) continue; // there, or still on its way
    const li = trackRow(st.ts[i], st.num, st.albumArtist, st.plays);
    li.posinset = i;
    li.setAttribute('aria-posinset', i + 1);
    li.setAttribute('aria-setsize', st.total);
    li.style.top = `${i * st.h}px`;
    st.decorate?.(li, st.ts[i], i);
    st.rows.set(i, li);
    st.ul.insertBefore(li, next);
  }
  st.from = from;
  st.to = to;
}

// place renders the rows of st that the window shows, with a margin, and
// at least row must (an index), if given.
function place(st, must = -1) {
  const top = st.ul.getBoundingClientRect().top, n = st.ts.length;
  let from = Math.max(0, Math.floor(-top / st.h) - MARGIN);
  let to = Math.min(n, Math.ceil((innerHeight - top) / st.h) + MARGIN);
  if (to < from) to = from;
  if (must >= 0 && (must < from || must >= to)) {
    // Next to the window (a step of the keyboard): widen it; far away (a
    // jump): render around must, and the scroll that follows places the rest.
    if (must >= from - MARGIN && must <= to + MARGIN) [from, to] = [Math.min(from, must), Math.max(to, must + 1)];
    else [from, to] = [Math.max(0, must - MARGIN), Math.min(n, must + MARGIN + 1)];
  }
  render(st, from, to);
}

// layout renders the rows in view of every track list on the page. The
// page calls it after it replaced the view or scrolled by script; window
// scroll and resize call it by themselves.
export function layout() {
  for (const ul of document.querySelectorAll('ul.vlist')) {
    const st = lists.get(ul);
    if (st) place(st);
  }
}

let frame = 0;
const later = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; layout(); }); };
addEventListener('scroll', later, { passive: true });
addEventListener('resize', later);

// rowAt returns the row button of index i of st, rendering it first.
function rowAt(st, i) {
  place(st, i);
  return st.rows.get(i)?.querySelector('[data-track-id]');
}

// setTracks makes ts (playing queue) the whole of the track list ul, as
// after a reorder, and renders its rows in view anew; it returns the row
// <li> of index show (-1: none), rendered even when outside the window.
export function setTracks(ul, ts, queue = ts, show = -1) {
  const st = lists.get(ul);
  if (!st) return null;
  Object.assign(st, { ts, queue, total: ts.length, loaded: ts.length, from: -1, to: -1 });
  ul.style.height = `${ts.length * st.h}px`;
  ul.dataset.loaded = ts.length;
  for (const li of st.rows.values()) li.remove();
  st.rows.clear();
  place(st, show);
  return show >= 0 ? st.rows.get(show) || null : null;
}

// step moves the focus from the row holding li to the one dir (+1 or -1)
// rows away, rendering it when it is outside the window; it reports
// whether there was such a row. Plain lists (artists, folders) step
// through their elements.
export function step(li, dir) {
  const st = lists.get(li.parentElement);
  let to;
  if (st) {
    const i = li.posinset + dir;
    if (i < 0 || i >= st.ts.length) return false;
    to = rowAt(st, i);
  } else {
    to = (dir > 0 ? li.nextElementSibling : li.previousElementSibling)?.firstElementChild;
  }
  if (!to) return false;
  to.focus(); // scrolls it into view, clear of the header and player (scroll-padding)
  return true;
}

// scrollToTrack brings the first row of track id in the lists under root
// into view and returns its button; null when no list holds it.
export function scrollToTrack(id, root = document) {
  for (const ul of root.querySelectorAll('ul.vlist')) {
    const st = lists.get(ul);
    const i = st ? st.ts.findIndex((t) => t?.id === id) : -1;
    if (i < 0) continue;
    const b = rowAt(st, i);
    b.scrollIntoView({ block: 'nearest' });
    place(st);
    return b;
  }
  return null;
}

// setCurrent marks the rows of track id (the one playing; '' for none) with
// aria-current under root, now and as rows are rendered later.
export function setCurrent(id, root = document) {
  currentId = id || '';
  for (const b of root.querySelectorAll('[data-track-id][aria-current]')) if (b.dataset.trackId !== currentId) b.removeAttribute('aria-current');
  if (currentId) for (const b of root.querySelectorAll(`[data-track-id="${CSS.escape(currentId)}"]`)) b.setAttribute('aria-current', 'true');
}

// albumGrid returns a grid of album tiles (player.Album objects) linking
// their pages.
export function albumGrid(as, label) {
  const ul = el('ul', 'grid');
  ul.setAttribute('role', 'list');
  ul.setAttribute('aria-label', label);
  ul.append(...as.map((a) => {
    const tile = link(href.album(a.id), 'tile', 'albumId', a.id);
    tile.append(cover(a.coverTrack, 300), el('span', 't', a.title || 'Unknown album'),
      el('span', 'sub', [a.artist, a.year].filter(Boolean).join(' · ')));
    return item(tile);
  }));
  return ul;
}

// namedList lists artists, genres or playlists (a search's) as links to
// their pages.
export function namedList(items, kind, label) {
  const ul = el('ul', 'list');
  ul.setAttribute('role', 'list');
  ul.setAttribute('aria-label', label);
  ul.append(...items.map((a) => {
    const row = link(href[kind](a.id), 'row', `${kind}Id`, a.id);
    const text = el('span', 'text');
    text.append(el('span', 't', a.name || `Unknown ${kind}`),
      el('span', 'sub', [a.albumCount && plural(a.albumCount, 'album'), plural(a.trackCount, 'track')].filter(Boolean).join(' · ')));
    const badge = el('span', 'cover ph initial round', (a.name || '?').slice(0, 1).toUpperCase());
    badge.setAttribute('aria-hidden', 'true');
    row.append(badge, text);
    return item(row);
  }));
  return ul;
}

// heading is a view's title (an <h2> that takes focus after navigation):
// visually hidden on the tabs' own views.
export function heading(text, hidden) {
  const h = el('h2', hidden ? 'vh' : 'h', text);
  h.tabIndex = -1; // focused after navigation, for screen readers
  return h;
}

// section returns a <section> of nodes under an <h3> title.
export function section(title, ...nodes) {
  const s = el('section');
  s.append(el('h3', 'h3', title), ...nodes);
  return s;
}

// tracksOf resolves ts, the tracks of a Play, Shuffle or Add button: an
// array, or a function returning a Promise of one.
const tracksOf = async (ts) => (typeof ts === 'function' ? ts() : ts);

// playButton plays the tracks that ts (an array, or a function resolving
// to one) gives, from the first.
export function playButton(ts, label) {
  const b = el('button', 'play-all', 'Play');
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.addEventListener('click', async () => {
    try {
      const q = await tracksOf(ts);
      if (q.length) play(q[0], q);
    } catch (e) {
      toast(`Couldn't play: ${e.message}`);
    }
  });
  return b;
}

// shuffleButton plays the tracks that ts (an array, or a function
// resolving to one) gives in shuffle mode, from a random one; label names
// what it shuffles ("Shuffle album Odelay").
export function shuffleButton(ts, label, text = 'Shuffle') {
  const b = el('button', 'shuffle-all', text);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.addEventListener('click', async () => {
    try {
      const q = (await tracksOf(ts)).filter(Boolean);
      if (!q.length) return;
      setShuffle(true);
      play(q[Math.floor(Math.random() * q.length)], q);
    } catch (e) {
      toast(`Couldn't play: ${e.message}`);
    }
  });
  return b;
}

// addButton returns an icon button that opens the "Add to playlist…"
// chooser (playlists.js, loaded when pressed) for ts: an array of tracks
// or a function returning a Promise of one, as [playButton] takes.
function addButton(ts, what) {
  const b = el('button', 'ctl add-to');
  b.type = 'button';
  b.setAttribute('aria-label', `Add ${what} to a playlist…`);
  b.append(svgIcon(ADD_TO_LIST_PATH));
  b.addEventListener('click', async () => {
    try {
      const list = await tracksOf(ts);
      const { addToPlaylist } = await import('./playlists.js');
      await addToPlaylist(list.filter((t) => !t.missing).map((t) => t.id));
    } catch (e) {
      toast(`Couldn't add to a playlist: ${e.message}`);
    }
  });
  return b;
}

// actions returns the row of a page's Play and Shuffle buttons for ts,
// with heart (a [heartButton]) after them when given, and Add to
// playlist (see [addButton]) when add is set.
export function actions(ts, what, heart, add) {
  const d = el('div', 'acts');
  d.append(playButton(ts, `Play ${what}`), shuffleButton(ts, `Shuffle ${what}`));
  if (heart) d.append(heart);
  if (add) d.append(addButton(ts, what));
  return d;
}

// hero is the top of a detail page: cover (a track ID's), kind, title,
// facts (strings or nodes), and Play for ts (see [playButton]); given more
// ({heart: [kind, id], add: true} or {}), Shuffle too and, with heart
// ('album' or 'artist' and its ID), a [heartButton], and with add an
// "Add to playlist…" button.
export function hero(coverID, kind, title, facts, ts, more) {
  const h = el('div', 'hero');
  const text = el('div');
  const meta = el('p', 'meta');
  for (const f of facts.filter(Boolean)) {
    if (meta.childNodes.length) meta.append(' · ');
    meta.append(f.nodeType ? f : el('span', '', f));
  }
  const what = `${kind.toLowerCase()} ${title}`, heart = more?.heart;
  text.append(el('p', 'kind', kind), heading(title), meta, more ? actions(ts, what, heart && heartButton(heart[0], heart[1], `Favourite: ${title}`), more.add)
    : playButton(ts, `Play ${what}`));
  h.append(cover(coverID, 300), text);
  return h;
}

const totalTime = (ts) => clock(ts.reduce((s, t) => s + (t.duration || 0), 0));

// albumTracks fetches the tracks of albums as one list, keeping those
// keep accepts.
async function albumTracks(as, keep = () => true) {
  const bodies = await Promise.all(as.map((a) => api.get(api.urls.album(a.id))));
  return bodies.flatMap((b) => api.tracks(b).filter(keep));
}

// fill puts tracks that arrived into the list ul from position offset
// and renders any now in view.
function fill(ul, offset, more) {
  const st = lists.get(ul);
  more.forEach((t, k) => { if (!st.ts[offset + k]) st.loaded++; st.ts[offset + k] = t; });
  ul.dataset.loaded = st.loaded;
  st.from = st.to = -1; // rows may have arrived inside the rendered range
  place(st);
}

// The Songs view loads the library in pages of SONGS_PAGE tracks: the
// first page is on screen at once, the others follow one at a time, so no
// single answer takes long to parse (the whole 50,000-track list is 16 MB
// of JSON, a main-thread task of a quarter of a second).
const SONGS_PAGE = 2000;
let songsBody = null, songsList = null;

// songs is the Songs view; sort is the query that orders it
// ("&sort=duration&order=desc", "" for library order).
export async function songs(sort = '') {
  const body = await api.get(api.urls.tracks(0, SONGS_PAGE) + sort);
  if (body !== songsBody) {
    songsBody = body;
    const first = api.tracks(body);
    songsList = trackList(first, 'Songs', { total: Math.max(body.total ?? 0, first.length) });
    loadSongs(body, songsList, sort);
  }
  const ts = queueOf(songsList);
  return { title: 'Songs', nodes: [heading('Songs', true), songsList], queue: ts,
    empty: !ts.length && 'No tracks yet — choose a music folder in the Earshot window' };
}

// loadSongs fetches the Songs pages after the first into ul, each time
// the missing page nearest the rows in view (so that a scroll position
// restored deep in the list, or a drag of the scroll bar, is filled
// first), until all have arrived. It stops when the library changed
// meanwhile (a newer first page replaced body) or a page fails (the next
// library event or Try again loads the view anew).
async function loadSongs(body, ul, sort) {
  const st = lists.get(ul), pages = Math.ceil(st.total / SONGS_PAGE);
  const done = new Set([0]);
  while (done.size < pages && songsBody === body) {
    const at = Math.min(pages - 1, Math.floor(Math.max(0, -ul.getBoundingClientRect().top) / st.h / SONGS_PAGE));
    let p = -1;
    for (let d = 0; p < 0; d++) {
      if (at + d < pages && !done.has(at + d)) p = at + d;
      else if (at - d >= 0 && !done.has(at - d)) p = at - d;
    }
    let page;
    try {
      page = await api.getJSON(api.urls.tracks(p * SONGS_PAGE, SONGS_PAGE) + sort);
    } catch {
      return;
    }
    const more = api.tracks(page);
    if (songsBody !== body || page.offset !== p * SONGS_PAGE || page.total !== body.total || !more.length) return;
    fill(ul, page.offset, more);
    done.add(p);
  }
}

// albums is the Albums view; sort is the query that orders it
// ("?sort=year&order=asc", "" for library order).
export async function albums(sort = '') {
  const as = api.albums(await api.get(api.urls.albums() + sort));
  return { title: 'Albums', nodes: [heading('Albums', true), albumGrid(as, 'Albums')], empty: !as.length && 'No albums yet' };
}

export async function album(id) {
  const a = await api.get(api.urls.album(id));
  const ts = api.tracks(a); // by disc, then track number
  const artist = link(href.artist(a.artistId), 'ln', 'artistId', a.artistId);
  artist.textContent = a.artist || 'Unknown artist';
  const discs = [...new Set(ts.map((t) => t.discNumber || 1))];
  const nodes = [hero(a.coverTrack, 'Album', a.title || 'Unknown album', [artist, a.year, plural(ts.length, 'track'), totalTime(ts)], ts, { heart: ['album', a.id], add: true })];
  for (const d of discs) {
    const label = discs.length > 1 ? `Disc ${d}` : 'Tracks';
    if (discs.length > 1) nodes.push(el('h3', 'h3', label));
    nodes.push(trackList(ts.filter((t) => (t.discNumber || 1) === d), label, { num: true, queue: ts, albumArtist: a.artist }));
  }
  return { title: a.title, nodes, queue: ts };
}

// An artist's page: their albums, then their tracks on other albums.
export async function artist(id) {
  const a = await api.get(api.urls.artist(id));
  const as = api.albums(a), ts = api.tracks(a);
  const name = a.name || 'Unknown artist';
  const nodes = [hero(as.find((x) => x.coverTrack)?.coverTrack || ts.find((t) => t.hasCover)?.id, 'Artist', name,
    [as.length && plural(as.length, 'album'), plural(a.trackCount ?? ts.length, 'track')],
    async () => [...await albumTracks(as), ...ts], { heart: ['artist', a.id], add: true })];
  if (as.length) nodes.push(section('Albums', albumGrid(as, `Albums by ${name}`)));
  if (ts.length) nodes.push(section(as.length ? 'Also on' : 'Songs', trackList(ts, `Songs by ${name}`)));
  return { title: name, nodes, queue: ts };
}

// A genre's page: its albums; Play plays their tracks of the genre.
export async function genre(id) {
  const g = await api.get(api.urls.genre(id));
  const as = api.albums(g), name = g.name || 'Unknown genre', key = name.trim().toLowerCase();
  const nodes = [hero(as.find((x) => x.coverTrack)?.coverTrack, 'Genre', name,
    [plural(as.length, 'album'), g.trackCount && plural(g.trackCount, 'track')],
    () => albumTracks(as, (t) => (t.genre || '').trim().toLowerCase() === key), { add: true })];
  if (as.length) nodes.push(section('Albums', albumGrid(as, `${name} albums`)));
  return { title: name, nodes };
}

export async function artists() {
  const as = api.artists(await api.get(api.urls.artists()));
  return { title: 'Artists', nodes: [heading('Artists', true), namedList(as, 'artist', 'Artists')], empty: !as.length && 'No artists yet' };
}

export async function genres() {
  const gs = api.genres(await api.get(api.urls.genres()));
  return { title: 'Genres', nodes: [heading('Genres', true), namedList(gs, 'genre', 'Genres')], empty: !gs.length && 'No genres yet' };
}

// folderIcon borrows the Folders tab's icon.
function folderIcon() {
  const s = el('span', 'cover icon');
  s.append(document.querySelector('[data-tab="folders"] svg').cloneNode(true));
  return s;
}

// folders shows the library folder at path ("" for the top): breadcrumbs,
// subfolders, then its tracks in file name order.
export async function folders(path) {
  // The top also links the files that are not in the folders: see problems.
  const [f, probs] = await Promise.all([api.get(api.urls.folder(path)),
    path ? null : api.get(api.urls.problems()).catch(() => null)]);
  const parts = path ? path.split('/') : [];
  const crumbs = el('nav', 'crumbs');
  crumbs.setAttribute('aria-label', 'Folder path');
  const ol = el('ol');
  ol.append(...['Music', ...parts].map((name, i) => {
    const p = parts.slice(0, i).join('/');
    if (i === parts.length) {
      const here = el('span', 'here', name);
      here.setAttribute('aria-current', 'page');
      return item(here);
    }
    const a = link(href.folder(p), '', 'folderPath', p);
    a.textContent = name;
    return item(a);
  }));
  crumbs.append(ol);
  const subs = api.folders(f), ts = api.tracks(f);
  const nodes = [heading(parts.at(-1) || 'Folders', true), crumbs];
  const ps = probs ? api.problems(probs) : [];
  if (ps.length) nodes.push(problemsLink(ps));
  if (subs.length) {
    const ul = el('ul', 'list');
    ul.setAttribute('aria-label', 'Folders');
    ul.append(...subs.map((sub) => {
      const a = link(href.folder(sub.path), 'row', 'folderPath', sub.path);
      const text = el('span', 'text');
      text.append(el('span', 't', sub.name), el('span', 'sub', plural(sub.trackCount, 'track')));
      a.append(folderIcon(), text);
      return item(a);
    }));
    nodes.push(ul);
  }
  if (ts.length) {
    const bar = el('div', 'bar');
    bar.append(el('span', 'meta', `${plural(ts.length, 'track')} · ${totalTime(ts)}`), playButton(ts, 'Play folder'));
    nodes.push(bar, trackList(ts, 'Tracks'));
  }
  return { title: parts.at(-1) || 'Folders', nodes, queue: ts,
    empty: !subs.length && !ts.length && !ps.length && 'No music here yet' };
}

// problemsSummary says how many of ps (the /api/problems list) could not
// be read and how many need ffmpeg: "2 files could not be read · 1 needs
// ffmpeg".
function problemsSummary(ps) {
  const need = ps.filter((p) => p.reason === NEEDS_FFMPEG).length, bad = ps.length - need;
  return [bad && `${plural(bad, 'file')} could not be read`,
    need && `${bad ? count(need) : plural(need, 'file')} ${need === 1 ? 'needs' : 'need'} ffmpeg`].filter(Boolean).join(' · ');
}

// problemsLink is the row at the top of the Folders view that opens the
// Problems view.
function problemsLink(ps) {
  const ul = el('ul', 'list');
  ul.setAttribute('aria-label', 'Problems');
  const a = link('#/problems', 'row', 'problems', '');
  const text = el('span', 'text');
  text.append(el('span', 't', 'Files that can\'t be played'), el('span', 'sub', problemsSummary(ps)));
  const icon = el('span', 'cover icon warn');
  icon.append(svgIcon(WARN_PATH));
  a.append(icon, text);
  ul.append(item(a));
  return ul;
}

// problems is the Problems view (#/problems): every file the library lists
// as a problem, with its path and why — those the last scan could not read,
// and those that need ffmpeg (listed as tracks, skipped when played), with
// how to get it. Nothing disappears without a word.
export async function problems() {
  const ps = api.problems(await api.get(api.urls.problems()));
  const h = heading('Problems');
  h.classList.add('pad');
  const nodes = [h];
  if (ps.length) nodes.push(el('p', 'meta intro', problemsSummary(ps)));
  if (ps.some((p) => p.reason === NEEDS_FFMPEG)) {
    nodes.push(el('p', 'intro', 'Files marked “needs ffmpeg” are listed but can’t be read or played without it. ' +
      'Install ffmpeg on the computer running Earshot (on Debian or Ubuntu: sudo apt install ffmpeg), then restart Earshot.'));
  }
  const ul = el('ul', 'list problems');
  ul.setAttribute('aria-label', 'Files that can\'t be played');
  ul.append(...ps.map((p) => {
    const li = el('li', 'problem');
    li.append(el('span', 't', p.path), el('span', 'sub', p.reason));
    return li;
  }));
  if (ps.length) nodes.push(ul);
  return { title: 'Problems', nodes, empty: !ps.length && 'Every file in the music folder can be played' };
}

export async function search(q) {
  const body = await api.get(api.urls.search(q));
  const ts = api.tracks(body), as = api.albums(body), ars = api.artists(body), pls = api.playlists(body);
  const grouped = as.length || ars.length || pls.length;
  const nodes = [heading(`Results for “${q}”`, true)];
  if (ars.length) nodes.push(section('Artists', namedList(ars, 'artist', 'Artists')));
  if (as.length) nodes.push(section('Albums', albumGrid(as, 'Albums')));
  if (pls.length) nodes.push(section('Playlists', namedList(pls, 'playlist', 'Playlists')));
  if (ts.length) nodes.push(grouped ? section('Songs', trackList(ts, 'Songs')) : trackList(ts, 'Songs'));
  const found = [[ts, 'song'], [as, 'album'], [ars, 'artist'], [pls, 'playlist']].filter(([xs]) => xs.length).map(([xs, w]) => plural(xs.length, w));
  return { title: `Search: ${q}`, nodes, queue: ts,
    announce: found.length ? `${found.join(', ')} for “${q}”` : `Nothing matches “${q}”`,
    empty: !ts.length && !grouped && `Nothing matches “${q}”` };
}
