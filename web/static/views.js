// The page's views, one per route: each fetches its data and returns the
// nodes to show. Tag text is only ever set with textContent.
import { clock, plural } from './format.js';
import { el, link, cover, titleOf, artistOf, toast } from './dom.js';
import * as api from './api.js';
import { play } from './player.js';

const lists = new WeakMap(); // a track <ul> → the queue its rows play

// queueOf returns the tracks a list of rows plays, in order.
export const queueOf = (ul) => lists.get(ul) || [];

const enc = encodeURIComponent;
export const href = {
  album: (id) => `#/albums/${enc(id)}`,
  artist: (id) => `#/artists/${enc(id)}`,
  genre: (id) => `#/genres/${enc(id)}`,
  folder: (p) => `#/folders${p ? '/' + p.split('/').map(enc).join('/') : ''}`,
};

const item = (child) => {
  const li = el('li');
  li.append(child);
  return li;
};

function trackRow(t, num, albumArtist) {
  const btn = el('button', num ? 'row num' : 'row');
  btn.type = 'button';
  btn.dataset.trackId = t.id;
  const sub = el('span', 'sub');
  if (!num || artistOf(t) !== albumArtist) sub.append(el('span', 'ar', artistOf(t)));
  if (t.album && !num) sub.append(el('span', 'al', t.album));
  const text = el('span', 'text');
  text.append(el('span', 't', titleOf(t)), sub);
  btn.append(num ? el('span', 'n', t.trackNumber || '') : cover(t.hasCover && t.id, 96), text, el('span', 'd', clock(t.duration)));
  return item(btn);
}

// trackList returns rows of ts that play queue (ts by default); num shows
// track numbers instead of covers, as on an album's page.
function trackList(ts, label, { num = false, queue = ts, albumArtist = '' } = {}) {
  const ul = el('ul', num ? 'list' : 'list wide');
  ul.setAttribute('aria-label', label);
  ul.append(...ts.map((t) => trackRow(t, num, albumArtist)));
  lists.set(ul, queue);
  return ul;
}

function albumGrid(as, label) {
  const ul = el('ul', 'grid');
  ul.setAttribute('aria-label', label);
  ul.append(...as.map((a) => {
    const tile = link(href.album(a.id), 'tile', 'albumId', a.id);
    tile.append(cover(a.coverTrack, 300), el('span', 't', a.title || 'Unknown album'),
      el('span', 'sub', [a.artist, a.year].filter(Boolean).join(' · ')));
    return item(tile);
  }));
  return ul;
}

// namedList lists artists or genres as links to their pages.
function namedList(items, kind, label) {
  const ul = el('ul', 'list');
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

// heading is a view's title: visually hidden on the tabs' own views.
function heading(text, hidden) {
  const h = el('h2', hidden ? 'vh' : 'h', text);
  h.tabIndex = -1; // focused after navigation, for screen readers
  return h;
}

function section(title, ...nodes) {
  const s = el('section');
  s.append(el('h3', 'h3', title), ...nodes);
  return s;
}

// playButton plays the tracks that ts (an array, or a function resolving
// to one) gives, from the first.
function playButton(ts, label) {
  const b = el('button', 'play-all', 'Play');
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.addEventListener('click', async () => {
    try {
      const q = typeof ts === 'function' ? await ts() : ts;
      if (q.length) play(q[0], q);
    } catch (e) {
      toast(`Couldn't play: ${e.message}`);
    }
  });
  return b;
}

// hero is the top of a detail page: cover, kind, title, facts, Play.
function hero(coverID, kind, title, facts, ts) {
  const h = el('div', 'hero');
  const text = el('div');
  const meta = el('p', 'meta');
  for (const f of facts.filter(Boolean)) {
    if (meta.childNodes.length) meta.append(' · ');
    meta.append(f.nodeType ? f : el('span', '', f));
  }
  text.append(el('p', 'kind', kind), heading(title), meta, playButton(ts, `Play ${kind.toLowerCase()} ${title}`));
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

let songsBody = null, songsList = null;

export async function songs() {
  const body = await api.get(api.urls.tracks());
  if (body !== songsBody) {
    songsBody = body;
    songsList = trackList(api.tracks(body), 'Songs');
  }
  const ts = queueOf(songsList);
  return { title: 'Songs', nodes: [heading('Songs', true), songsList], queue: ts,
    empty: !ts.length && 'No tracks yet — choose a music folder in the Earshot window' };
}

export async function albums() {
  const as = api.albums(await api.get(api.urls.albums()));
  return { title: 'Albums', nodes: [heading('Albums', true), albumGrid(as, 'Albums')], empty: !as.length && 'No albums yet' };
}

export async function album(id) {
  const a = await api.get(api.urls.album(id));
  const ts = api.tracks(a); // by disc, then track number
  const artist = link(href.artist(a.artistId), 'ln', 'artistId', a.artistId);
  artist.textContent = a.artist || 'Unknown artist';
  const discs = [...new Set(ts.map((t) => t.discNumber || 1))];
  const nodes = [hero(a.coverTrack, 'Album', a.title || 'Unknown album', [artist, a.year, plural(ts.length, 'track'), totalTime(ts)], ts)];
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
    async () => [...await albumTracks(as), ...ts])];
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
    () => albumTracks(as, (t) => (t.genre || '').trim().toLowerCase() === key))];
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
  const f = await api.get(api.urls.folder(path));
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
    empty: !subs.length && !ts.length && 'No music here yet' };
}

export async function search(q) {
  const body = await api.get(api.urls.search(q));
  const ts = api.tracks(body), as = api.albums(body), ars = api.artists(body);
  const grouped = as.length || ars.length;
  const nodes = [heading(`Results for “${q}”`, true)];
  if (ars.length) nodes.push(section('Artists', namedList(ars, 'artist', 'Artists')));
  if (as.length) nodes.push(section('Albums', albumGrid(as, 'Albums')));
  if (ts.length) nodes.push(grouped ? section('Songs', trackList(ts, 'Songs')) : trackList(ts, 'Songs'));
  return { title: `Search: ${q}`, nodes, queue: ts,
    empty: !ts.length && !grouped && `Nothing matches “${q}”` };
}
