// The play queue: track IDs in play order, the index of the current one,
// shuffle and repeat. IDs only are kept (a queue may hold a whole library
// of 50,000 tracks); track objects are cached here as they become known
// and fetched one by one when not. The queue and the playing state survive
// a reload in localStorage.
import { getJSON } from './api.js';

const QKEY = 'earshot.queue', SKEY = 'earshot.playstate';
const known = new Map(); // id → track object
let ids = [];            // the queue in play order
let unshuffled = null;   // ids in their order before shuffle was turned on
let at = -1;             // index of the current track in ids
let shuffle = false, repeat = 'off';
const subs = new Set();

// state returns a snapshot: {ids, index, shuffle, repeat}. ids is the
// live array: read it, don't change it.
export const state = () => ({ ids, index: at, shuffle, repeat });

// onChange calls f after every change of the queue or its modes.
export const onChange = (f) => subs.add(f);

function changed(saveIds = true) {
  if (saveIds) store(QKEY, { ids, unshuffled });
  saveState();
  for (const f of subs) f();
}

function store(key, v) {
  try { localStorage.setItem(key, JSON.stringify(v)); } catch { /* full or disabled: not kept */ }
}

let extra = {}; // position and playing, from the player
// saveState stores the index, modes and the player's {pos, playing}.
export function saveState(player) {
  if (player) extra = player;
  store(SKEY, { index: at, shuffle, repeat, ...extra });
}

// restore loads the stored queue; it returns the stored {index, pos,
// playing} or null when there is none.
export function restore() {
  try {
    const q = JSON.parse(localStorage.getItem(QKEY) || 'null');
    const s = JSON.parse(localStorage.getItem(SKEY) || 'null');
    if (!q || !Array.isArray(q.ids) || !s) return null;
    ids = q.ids.filter((x) => typeof x === 'string');
    unshuffled = Array.isArray(q.unshuffled) ? q.unshuffled : null;
    shuffle = !!s.shuffle;
    repeat = ['all', 'one'].includes(s.repeat) ? s.repeat : 'off';
    at = Number.isInteger(s.index) && s.index < ids.length ? s.index : -1;
    extra = { pos: +s.pos || 0, playing: !!s.playing };
    for (const f of subs) f();
    return at >= 0 ? { index: at, ...extra } : null;
  } catch {
    return null;
  }
}

// remember caches track objects so that their IDs need no fetch.
export function remember(ts) { for (const t of ts) if (t?.id) known.set(t.id, t); }

// cached returns the track object of id, or undefined when not yet known.
export const cached = (id) => known.get(id);

// track resolves to the track object of id, from the cache or GET
// /api/tracks/{id}; it rejects with the API's error.
const asked = new Map(); // id → Promise of its track, while fetching
export function track(id) {
  const t = known.get(id);
  if (t) return Promise.resolve(t);
  let p = asked.get(id);
  if (!p) {
    p = getJSON(`/api/tracks/${encodeURIComponent(id)}`).then((x) => { known.set(id, x); return x; })
      .finally(() => asked.delete(id));
    asked.set(id, p);
  }
  return p;
}

function shuffled(a) {
  for (let k = a.length - 1; k > 0; k--) {
    const j = Math.floor(Math.random() * (k + 1));
    [a[k], a[j]] = [a[j], a[k]];
  }
  return a;
}

// replace makes list (track objects) the queue with list[start] current;
// with shuffle on the rest follows in random order.
export function replace(list, start) {
  remember(list);
  ids = list.map((t) => t.id);
  unshuffled = null;
  at = start;
  if (shuffle) shuffleRest();
  changed();
}

function shuffleRest() {
  unshuffled = ids.slice();
  const cur = ids[at];
  const rest = ids.filter((_, k) => k !== at);
  ids = cur === undefined ? shuffled(rest) : [cur, ...shuffled(rest)];
  at = cur === undefined ? -1 : 0;
}

// go makes index k current (no bounds beyond the queue's).
export function go(k) {
  if (k < 0 || k >= ids.length) return;
  at = k;
  changed(false);
}

// nextIndex returns the index to play after the current one, or -1: the
// same one on repeat one when auto (the track ended by itself), the first
// one after the last on repeat all.
export function nextIndex(auto) {
  if (!ids.length) return -1;
  if (auto && repeat === 'one' && at >= 0) return at;
  if (at + 1 < ids.length) return at + 1;
  return repeat === 'all' ? 0 : -1;
}

// prevIndex returns the index before the current one, or -1 (the last
// one on repeat all).
export function prevIndex() {
  if (at > 0) return at - 1;
  return repeat === 'all' && ids.length ? ids.length - 1 : -1;
}

// playNext puts t right after the current track.
export function playNext(t) {
  remember([t]);
  ids.splice(at + 1, 0, t.id);
  if (unshuffled) unshuffled.push(t.id);
  changed();
}

// add puts t at the end of the queue.
export function add(t) {
  remember([t]);
  ids.push(t.id);
  if (unshuffled) unshuffled.push(t.id);
  changed();
}

// move moves the entry at index from to index to, keeping the current
// track current.
export function move(from, to) {
  if (from === to || from < 0 || to < 0 || from >= ids.length || to >= ids.length) return;
  const [id] = ids.splice(from, 1);
  ids.splice(to, 0, id);
  if (at === from) at = to;
  else if (from < at && to >= at) at--;
  else if (from > at && to <= at) at++;
  changed();
}

// remove removes the entry at index k; removing the current one leaves
// at pointing at the one after it (the player decides what to play).
export function remove(k) {
  if (k < 0 || k >= ids.length) return;
  const [id] = ids.splice(k, 1);
  if (unshuffled) {
    const j = unshuffled.indexOf(id);
    if (j >= 0) unshuffled.splice(j, 1);
  }
  if (k < at) at--;
  else if (k === at && at >= ids.length) at = ids.length - 1;
  changed();
}

// clear empties the queue but for the current track.
export function clear() {
  ids = at >= 0 ? [ids[at]] : [];
  unshuffled = null;
  at = ids.length ? 0 : -1;
  changed();
}

// setShuffle turns shuffle on (the tracks after the current one in random
// order) or off (back to the order they had, at the current track).
export function setShuffle(on) {
  if (on === shuffle) return;
  shuffle = on;
  if (on) shuffleRest();
  else if (unshuffled) {
    const cur = ids[at];
    const kept = new Set(ids);
    ids = unshuffled.filter((id) => kept.has(id));
    unshuffled = null;
    at = ids.indexOf(cur);
  }
  changed();
}

// cycleRepeat steps repeat off → all → one → off and returns it.
export function cycleRepeat() {
  repeat = { off: 'all', all: 'one', one: 'off' }[repeat];
  changed(false);
  return repeat;
}
