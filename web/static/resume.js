// "Resume at 41:12": a track over 20 minutes (an audiobook, a mix) keeps
// where it was left on the server (PUT /api/tracks/{id}/position
// {seconds}, every 15 s while it plays, on pause, on leaving the page and
// when another track starts); when it starts again, "resumeAt" in its
// Track object is offered as a button that seeks there.
import { clock } from './format.js';
import { el, trackURL } from './dom.js';
import { getJSON } from './api.js';
import { position, seekTo, nowPlaying, watchTrack } from './player.js';

const LONG = 20 * 60; // seconds: the server keeps positions of longer tracks only
const EVERY = 15000;  // ms between saves while playing
const offers = [];    // the "Resume at" buttons (the page's, Now Playing's)
let offer = null;     // {id, at (s)} while offered
let last = null;      // {id, pos (s)} of the long track playing, unsaved
let savedAt = 0, hideTimer = 0;

const long = (t) => t?.duration > LONG;

// save sends last's position to the server.
// Nothing is sent while a resume is offered: the position kept stays until
// the listener takes it or lets the offer go.
function save() {
  if (!last || offer) return;
  const { id, pos } = last;
  last = null;
  savedAt = performance.now();
  fetch(trackURL(id, 'position'), {
    method: 'PUT', keepalive: true, headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ seconds: Math.round(pos * 10) / 10 }),
  }).catch(() => { /* kept next time */ });
}

// show shows or hides every offer button.
function show(o) {
  offer = o;
  clearTimeout(hideTimer);
  for (const b of offers) {
    b.hidden = !o;
    if (o) b.textContent = `Resume at ${clock(o.at)}`;
  }
  if (o) hideTimer = setTimeout(() => show(null), 20000);
}

// offerButton returns a new "Resume at" button, shown while a resume is
// offered.
export function offerButton(cls) {
  const b = el('button', cls);
  b.type = 'button';
  b.hidden = !offer;
  b.textContent = offer ? `Resume at ${clock(offer.at)}` : 'Resume';
  b.addEventListener('click', () => {
    if (offer && nowPlaying()?.id === offer.id) seekTo(offer.at);
    show(null);
  });
  offers.push(b);
  return b;
}

watchTrack(async (t) => {
  show(null);
  save(); // the track left behind
  savedAt = performance.now();
  if (!long(t)) return;
  let fresh;
  try { fresh = await getJSON(`/api/tracks/${encodeURIComponent(t.id)}`); } catch { return; }
  const at = fresh.resumeAt;
  if (at > 0 && nowPlaying()?.id === t.id && Math.abs(position() - at) > 5) show({ id: t.id, at });
});

// Under 1 s nothing is noted: the server would forget the position kept,
// and a new track's element reports 0 before its own position is known.
const playing = (e) => e.target.id === 'audio' && long(nowPlaying()) && position() >= 1;
document.addEventListener('timeupdate', (e) => {
  if (!playing(e) || e.target.seeking) return;
  last = { id: nowPlaying().id, pos: position() };
  if (offer && Math.abs(position() - offer.at) < 2) show(null); // resumed there by other means
  if (!e.target.paused && performance.now() - savedAt > EVERY) save();
}, true);
document.addEventListener('pause', (e) => { if (playing(e)) { last = { id: nowPlaying().id, pos: position() }; save(); } }, true);
addEventListener('pagehide', save);

document.body.append(offerButton('resume-offer'));
