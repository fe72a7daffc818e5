// Lyrics in Now Playing: GET /api/tracks/{id}/lyrics ({synced, lines:
// [{time (s), text}]} or {synced: false, text}). Synced lines follow the
// playback — the current one is highlighted and scrolled to the middle,
// from timeupdate and, while playing, every animation frame — and a tap on
// a line seeks there. Plain lyrics are text; a track without says so.
import { el, trackURL } from './dom.js';
import { getJSON } from './api.js';
import { position, seekTo, nowPlaying } from './player.js';

let box = null;    // the lyrics element of Now Playing
let lines = [];    // the synced lines on screen: [{time, li}]
let at = -1;       // index of the highlighted line
let frame = 0, shown = 0;

// showLyrics fills root with track t's lyrics (root is kept and followed
// while it is connected and visible; t null empties it).
export async function showLyrics(root, t) {
  box = root;
  lines = [];
  at = -1;
  const n = ++shown;
  root.replaceChildren();
  root.classList.remove('synced');
  if (!t) return;
  if (!t.hasLyrics) { root.append(el('p', 'ly-none', 'No lyrics')); return; }
  root.append(el('p', 'ly-none', 'Loading lyrics…'));
  let body;
  try {
    body = await getJSON(trackURL(t.id, 'lyrics'));
  } catch (e) {
    body = { error: e };
  }
  if (n !== shown) return;
  if (body.error) {
    root.replaceChildren(el('p', 'ly-none', body.error.status === 404 ? 'No lyrics' : `Couldn't load the lyrics: ${body.error.message}`));
    return;
  }
  if (!body.synced) {
    root.replaceChildren(el('p', 'ly-plain', body.text || ''));
    return;
  }
  const ol = el('ol', 'ly-lines');
  ol.setAttribute('aria-label', 'Lyrics');
  for (const { time, text } of body.lines || []) {
    const li = el('li');
    const b = el('button', 'ly-line', text || '…');
    b.type = 'button';
    b.dataset.time = time;
    li.append(b);
    ol.append(li);
    lines.push({ time, li });
  }
  root.classList.add('synced');
  root.replaceChildren(ol);
  sync(true);
}

// lineAt returns the index of the line sung at s seconds: the last whose
// time is at or before s (-1 before the first).
function lineAt(s) {
  let lo = 0, hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].time <= s) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// sync highlights the line of the current position and scrolls it to the
// middle of the box (at once when jump is true, else smoothly).
function sync(jump) {
  if (!box || !lines.length || !box.isConnected) return;
  const k = lineAt(position());
  if (k === at) return;
  if (at >= 0) { lines[at].li.classList.remove('cur'); lines[at].li.removeAttribute('aria-current'); }
  at = k;
  if (k < 0) return;
  const li = lines[k].li;
  li.classList.add('cur');
  li.setAttribute('aria-current', 'true');
  const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
  box.scrollTo({ top: li.offsetTop - box.clientHeight / 2 + li.offsetHeight / 2, behavior: jump || reduce ? 'instant' : 'smooth' });
}

// follow runs sync every animation frame while the element plays and the
// lyrics are on screen.
function follow() {
  cancelAnimationFrame(frame);
  frame = 0;
  const a = document.getElementById('audio');
  if (!a || a.paused || !lines.length || !box?.getClientRects().length) return;
  sync(false);
  frame = requestAnimationFrame(follow);
}

// The playing element's events ('timeupdate' does not bubble: caught on
// the way down).
for (const ev of ['timeupdate', 'seeked', 'playing', 'pause']) {
  document.addEventListener(ev, (e) => {
    if (e.target.id !== 'audio') return;
    if (ev === 'seeked') sync(true);
    else sync(false);
    if (ev === 'playing' && !frame) follow();
  }, true);
}

// resumeFollow starts following again once the lyrics are shown.
export function resumeFollow() { sync(true); if (!frame) follow(); }

document.addEventListener('click', (e) => {
  const b = e.target.closest?.('.ly-line');
  if (!b || !box?.contains(b) || !nowPlaying()) return;
  seekTo(+b.dataset.time);
  sync(true);
});
