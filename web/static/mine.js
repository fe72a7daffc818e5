// "Your music": the Favourites view (#/favourites), the history views
// (#/history/recent|most|added), and the Songs and Albums views with their
// sort controls (the choice kept in localStorage) and Shuffle all; and the
// rows' ⋯ menu item "Add to Favourites" / "Remove from Favourites".
import { $, el, link, toast } from './dom.js';
import { getJSON } from './api.js';
import * as views from './views.js';
import { isStarred, setStar } from './stars.js';
import { onMenuOpen, menuButton, closeMenu } from './queueview.js';

// SORTS are the orders each list offers: [key, label, default order].
const SORTS = {
  songs: [['', 'Library order', 'asc'], ['title', 'Title', 'asc'], ['artist', 'Artist', 'asc'], ['album', 'Album', 'asc'],
    ['year', 'Year', 'asc'], ['added', 'Date added', 'desc'], ['duration', 'Duration', 'desc'], ['plays', 'Play count', 'desc']],
  albums: [['', 'Library order', 'asc'], ['name', 'Name', 'asc'], ['artist', 'Artist', 'asc'], ['year', 'Year', 'asc'],
    ['added', 'Date added', 'desc'], ['plays', 'Most played', 'desc'], ['random', 'Random', 'asc']],
};

// sortOf returns the stored choice of list: {key, order, seed}.
function sortOf(list) {
  try {
    const s = JSON.parse(localStorage.getItem(`earshot.sort.${list}`) || 'null');
    if (s && SORTS[list].some(([k]) => k === s.key)) return { key: s.key, order: s.order === 'desc' ? 'desc' : 'asc', seed: s.seed >>> 0 };
  } catch { /* none kept */ }
  return { key: '', order: 'asc', seed: 0 };
}

function keep(list, s) {
  try { localStorage.setItem(`earshot.sort.${list}`, JSON.stringify(s)); } catch { /* not kept */ }
}

// query is the API query of a sort choice: "sort=year&order=asc[&seed=N]", or ''.
function query({ key, order, seed }) {
  if (!key) return '';
  return `sort=${key}` + (key === 'random' ? `&seed=${seed}` : `&order=${order}`);
}

// select makes a labelled <select> of options [[value, text]…].
function select(cls, label, options, value) {
  const s = el('select', cls);
  s.setAttribute('aria-label', label);
  for (const [v, text] of options) {
    const o = el('option', '', text);
    o.value = v;
    s.append(o);
  }
  s.value = value;
  return s;
}

// sortBar returns the controls that order list ('songs' or 'albums'): a
// key and, but for library order and random, an order; a change is kept
// and the view shown again from its top.
function sortBar(list, what) {
  const s = sortOf(list), bar = el('div', 'sortbar');
  const key = select('sort-key', `Sort ${what} by`, SORTS[list].map(([k, t]) => [k, t]), s.key);
  const order = select('sort-order', 'Order', [['asc', 'Ascending'], ['desc', 'Descending']], s.order);
  order.hidden = !s.key || s.key === 'random';
  key.addEventListener('change', () => {
    const def = SORTS[list].find(([k]) => k === key.value)[2];
    keep(list, { key: key.value, order: def, seed: Math.floor(Math.random() * 1e9) });
    again();
  });
  order.addEventListener('change', () => { keep(list, { ...sortOf(list), order: order.value }); again(); });
  bar.append(key, order);
  return bar;
}

// again shows the view anew from its top (app.js listens).
function again() {
  scrollTo(0, 0);
  dispatchEvent(new Event('earshot:refresh'));
}

// songs is the Songs view in the chosen order, with Shuffle all.
export async function songs() {
  const q = query(sortOf('songs'));
  const v = await views.songs(q && `&${q}`);
  // All the songs arrived by the time of the tap (the list loads in pages).
  const ul = v.nodes.find((n) => n.matches?.('ul.vlist')), all = () => (ul ? views.queueOf(ul) : v.queue);
  const bar = el('div', 'bar listbar');
  bar.append(views.shuffleButton(all, 'Shuffle all songs', 'Shuffle all'), sortBar('songs', 'songs'));
  v.nodes.splice(1, 0, bar);
  return v;
}

// albums is the Albums view in the chosen order.
export async function albums() {
  const q = query(sortOf('albums'));
  const v = await views.albums(q && `?${q}`);
  const bar = el('div', 'bar listbar');
  bar.append(sortBar('albums', 'albums'));
  v.nodes.splice(1, 0, bar);
  return v;
}

// HISTORY names the history views: route → [title, what it is empty of].
const HISTORY = {
  recent: ['Recently played', 'Nothing played yet'],
  most: ['Most played', 'Nothing played yet'],
  added: ['Recently added', 'No tracks yet'],
};

// chips links the history views and the Favourites view, marking here.
function chips(here) {
  const nav = el('nav', 'chips');
  nav.setAttribute('aria-label', 'Your music');
  for (const [h, text] of [['#/favourites', 'Favourites'], ...Object.entries(HISTORY).map(([k, [t]]) => [`#/history/${k}`, t])]) {
    const a = link(h, 'chip');
    a.textContent = text;
    if (h === here) a.setAttribute('aria-current', 'page');
    nav.append(a);
  }
  return nav;
}

// favourites is the Favourites view: the songs, albums and artists with a
// heart (GET /api/favourites), newest first, with Play and Shuffle for
// the songs. It is shown again when the hearts change (userdata).
export async function favourites() {
  const f = await getJSON('/api/favourites');
  const songs = f.songs || [], albums = f.albums || [], artists = f.artists || [];
  const h = views.heading('Favourites');
  h.classList.add('pad');
  const nodes = [h, chips('#/favourites')];
  if (songs.length) {
    nodes.push(views.section('Songs', views.actions(songs, 'favourite songs'), views.trackList(songs, 'Favourite songs')));
  }
  if (albums.length) nodes.push(views.section('Albums', views.albumGrid(albums, 'Favourite albums')));
  if (artists.length) nodes.push(views.section('Artists', views.namedList(artists, 'artist', 'Favourite artists')));
  return { title: 'Favourites', nodes, queue: songs, userdata: ['stars', 'moved'],
    empty: !songs.length && !albums.length && !artists.length && 'No favourites yet. Tap the heart on a song, album or artist.' };
}

// history is a history view: view 'recent' (last played first), 'most'
// (with play counts) or 'added' (GET /api/history?view=…).
export async function history(view) {
  if (!HISTORY[view]) view = 'recent';
  const [title, none] = HISTORY[view];
  const ts = (await getJSON(`/api/history?view=${view}`)).tracks || [];
  const h = views.heading(title);
  h.classList.add('pad');
  const nodes = [h, chips(`#/history/${view}`)];
  if (ts.length) nodes.push(views.actions(ts, title.toLowerCase()), views.trackList(ts, title, { plays: view === 'most' }));
  return { title, nodes, queue: ts, userdata: ['plays', 'moved'], empty: !ts.length && none };
}

// revealTab scrolls a phone's tab bar (it scrolls sideways when its tabs
// need more than the screen) to the current tab when it is out of sight.
function revealTab() {
  const bar = document.getElementById('tabs'), a = bar.querySelector('[aria-current]');
  if (!a) return;
  const r = a.getBoundingClientRect(), b = bar.getBoundingClientRect();
  if (r.left < b.left || r.right > b.right) bar.scrollLeft += r.left - b.left - (b.width - r.width) / 2;
}
addEventListener('hashchange', () => requestAnimationFrame(revealTab));
addEventListener('load', revealTab);

// The ⋯ menu's item acts on the song of the row it opened from, its text
// following that song's heart.
const item = $('more-menu').querySelector('[data-act="star"]');
onMenuOpen((b) => { item.textContent = isStarred('song', b.dataset.moreId) ? 'Remove from Favourites' : 'Add to Favourites'; });
item.addEventListener('click', () => {
  const id = menuButton()?.dataset.moreId;
  if (!id) return;
  const on = !isStarred('song', id);
  closeMenu(true);
  setStar('song', id, on);
  toast(on ? 'Added to Favourites' : 'Removed from Favourites');
});
