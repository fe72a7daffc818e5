// Now Playing: tapping the player bar's track (.np) opens a full-screen
// modal dialog with the big cover, title, artist and album (links), a seek
// bar and times of its own, previous/play/next, the heart and "Add to
// playlist…", the next track of the queue, "Resume at" and the lyrics
// (lyrics.js). It closes by its button, Escape, Back (opening pushes a
// history entry) and a swipe down (a drag of over 80 px). The look is
// nowplaying.css's.
import { clock } from './format.js';
import { $, el, link, icon, trackURL, titleOf, artistOf, coverFailed, ADD_TO_LIST_PATH } from './dom.js';
import * as api from './api.js';
import * as Q from './queue.js';
import { nowPlaying, position, seekTo, toggle, next, prev, watchTrack } from './player.js';
import { openDialog, closeDialog } from './a11y.js';
import { showLyrics, resumeFollow } from './lyrics.js';
import { offerButton } from './resume.js';
import { href } from './views.js';

const SWIPE = 80; // px down that close the view

function button(cls, label, ...kids) {
  const b = el('button', cls);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  b.append(...kids);
  return b;
}

// ---- the dialog, built once ----

const view = el('section', 'nowp');
view.id = 'nowplaying';
view.hidden = true;
view.setAttribute('role', 'dialog');
view.setAttribute('aria-labelledby', 'nowp-h');
const heading = el('h2', 'vh', 'Now Playing');
heading.id = 'nowp-h';
heading.tabIndex = -1;
const closeBtn = button('ctl nowp-close', 'Close Now Playing', icon('M6 9l6 6 6-6'));
const grip = el('div', 'nowp-grip');
grip.setAttribute('aria-hidden', 'true');
const img = el('img', 'nowp-cover');
img.alt = '';
const art = el('div', 'nowp-art');
art.append(img);
const title = el('p', 'nowp-title');
const who = el('p', 'nowp-who');
const acts = el('div', 'nowp-acts');
const seek = el('input');
Object.assign(seek, { type: 'range', min: 0, max: 0, step: 1, value: 0 });
seek.id = 'nowp-seek';
seek.setAttribute('aria-label', 'Seek');
const elapsed = el('span', 'time', '0:00'), total = el('span', 'time', '0:00');
const bar = el('div', 'progress nowp-progress');
bar.append(elapsed, seek, total);
const playBtn = button('ctl play nowp-play', 'Play', icon('M8 5v14l11-7z'), icon('M7 5h3.5v14H7zM13.5 5H17v14h-3.5z'));
playBtn.children[0].classList.add('i-play');
playBtn.children[1].classList.add('i-pause');
const ctl = el('div', 'nowp-ctl');
ctl.append(button('ctl', 'Previous track', icon('M6 5h2v14H6zM20 5v14L9.5 12z')), playBtn, button('ctl', 'Next track', icon('M16 5h2v14h-2zM4 5v14l10.5-7z')));
const nextUp = el('p', 'nowp-next');
const lyrics = el('section', 'nowp-lyrics');
lyrics.setAttribute('aria-label', 'Lyrics');
const head = el('div', 'nowp-head');
head.append(grip, closeBtn, heading);
view.append(head, art, title, who, acts, bar, ctl, offerButton('nowp-resume'), nextUp, lyrics);
document.body.append(view);

// ---- filling it ----

// albumLinks resolves the links of t's artist and album through the
// albums and artists lists (their IDs are server-side hashes); until
// then, and for what is not found, they search.
async function albumLinks(t, artistA, albumA) {
  try {
    const [al, ar] = await Promise.all([api.get(api.urls.albums()), api.get(api.urls.artists())]);
    const lc = (s) => (s || '').toLowerCase();
    const a = api.albums(al).find((x) => lc(x.title) === lc(t.album) && lc(x.artist) === lc(t.albumArtist || t.artist));
    if (a) albumA.href = href.album(a.id);
    const p = api.artists(ar).find((x) => lc(x.name) === lc(t.artist || t.albumArtist));
    if (p) artistA.href = href.artist(p.id);
  } catch { /* the search links stay */ }
}

const search = (q) => `#/search?q=${encodeURIComponent(q)}`;

function fill() {
  const t = nowPlaying();
  title.textContent = t ? titleOf(t) : 'Nothing playing';
  who.replaceChildren();
  acts.replaceChildren();
  img.hidden = !t?.hasCover;
  art.classList.toggle('ph', !t?.hasCover);
  if (t?.hasCover) img.src = trackURL(t.id, 'cover');
  else img.removeAttribute('src');
  showLyrics(lyrics, t);
  fillNext();
  sync();
  if (!t) return;
  const artistA = link(search(artistOf(t)), 'ln', null, null);
  artistA.textContent = artistOf(t);
  who.append(artistA);
  if (t.album) {
    const albumA = link(search(t.album), 'ln', null, null);
    albumA.textContent = t.album;
    who.append(document.createTextNode(' — '), albumA);
    albumLinks(t, artistA, albumA);
  }
  fillActs(t);
}

// fillActs adds the heart (stars.js) and "Add to playlist…" (playlists.js)
// for t, each once its module is there.
function fillActs(t) {
  import('./stars.js').then((m) => {
    if (nowPlaying()?.id === t.id) acts.prepend(m.heartButton('song', t.id, `Favourite: ${titleOf(t)}`));
  }).catch(() => { /* no favourites on this server */ });
  import('./playlists.js').then((m) => {
    if (nowPlaying()?.id !== t.id) return;
    const b = button('nowp-add', null, icon(ADD_TO_LIST_PATH), el('span', null, 'Add to playlist…'));
    b.addEventListener('click', () => m.addToPlaylist([t.id]));
    acts.append(b);
  }).catch(() => { /* no playlists on this server */ });
}

async function fillNext() {
  const { ids, index } = Q.state(), k = Q.nextIndex(true), id = ids[k];
  nextUp.replaceChildren();
  if (k < 0 || k === index || id === undefined) return;
  let t;
  try { t = await Q.track(id); } catch { return; }
  if (Q.state().ids[Q.nextIndex(true)] !== id) return;
  const b = button('nowp-up', null, el('span', 'nowp-label', 'Next up'), el('span', 'nowp-up-t', `${titleOf(t)} · ${artistOf(t)}`));
  b.addEventListener('click', () => next());
  nextUp.append(b);
}

let held = false;

// sync shows the position, the duration and play/pause.
function sync() {
  const t = nowPlaying(), d = t?.duration > 0 ? t.duration : 0, p = position();
  seek.max = d;
  seek.disabled = !t;
  total.textContent = clock(d);
  const on = document.body.classList.contains('playing');
  playBtn.setAttribute('aria-label', on ? 'Pause' : 'Play');
  if (held) return;
  seek.value = p;
  elapsed.textContent = clock(p);
  seek.setAttribute('aria-valuetext', `${clock(p)} of ${clock(d)}`);
}

// ---- opening and closing ----

let leaveTo = null; // a link's hash, followed once the history entry is gone

// openNowPlaying opens the view (a history entry, so Back closes it).
export function openNowPlaying() {
  if (!view.hidden) return;
  view.hidden = false;
  document.body.classList.add('nowp-open');
  view.style.transform = '';
  fill();
  openDialog(view, close);
  heading.focus();
  if (!history.state?.nowPlaying) history.pushState({ nowPlaying: true }, '');
  resumeFollow();
}

// close closes the view through Back when it pushed the history entry.
function close() {
  if (history.state?.nowPlaying) history.back();
  else hide();
}

function hide() {
  if (view.hidden) return;
  view.hidden = true;
  document.body.classList.remove('nowp-open');
  closeDialog(view, $('play'));
}

addEventListener('popstate', () => {
  if (history.state?.nowPlaying) return;
  hide();
  if (leaveTo) { location.hash = leaveTo; leaveTo = null; }
});

view.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="#"]');
  if (!a) return;
  e.preventDefault();
  leaveTo = a.hash;
  close();
});
view.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } });
closeBtn.addEventListener('click', close);
playBtn.addEventListener('click', toggle);
ctl.firstChild.addEventListener('click', prev);
ctl.lastChild.addEventListener('click', () => next());

// The player bar's track opens the view: a tap, or Enter or Space on it.
const np = document.querySelector('#player .np');
np.setAttribute('role', 'button');
np.tabIndex = 0;
np.setAttribute('aria-haspopup', 'dialog'); // its name is the track's title and artist, as shown
np.addEventListener('click', openNowPlaying);
np.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openNowPlaying(); }
});
img.addEventListener('error', () => coverFailed(img, true));

// ---- the seek bar: the position follows the thumb on release ----

seek.addEventListener('pointerdown', () => { held = true; });
addEventListener('pointerup', () => { if (held) { held = false; seekTo(+seek.value); } });
seek.addEventListener('input', () => {
  elapsed.textContent = clock(+seek.value);
  if (!held) seekTo(+seek.value);
});

// ---- swipe down to close ----

let drag = null; // {y, dy} from where a drag began

function dragStart(y, target) {
  if (target.closest('input, .nowp-lyrics, .nowp-acts') || view.scrollTop > 0) return;
  drag = { y, dy: 0 };
}
function dragMove(y) {
  if (!drag) return;
  drag.dy = Math.max(0, y - drag.y);
  view.style.transform = drag.dy ? `translateY(${drag.dy}px)` : '';
}
function dragEnd() {
  if (!drag) return;
  const far = drag.dy > SWIPE;
  drag = null;
  view.style.transform = '';
  if (far) close();
}
view.addEventListener('touchstart', (e) => dragStart(e.touches[0].clientY, e.target), { passive: true });
view.addEventListener('touchmove', (e) => dragMove(e.touches[0].clientY), { passive: true });
view.addEventListener('touchend', dragEnd);
view.addEventListener('touchcancel', dragEnd);
view.addEventListener('pointerdown', (e) => { if (e.pointerType === 'mouse' && e.button === 0) dragStart(e.clientY, e.target); });
addEventListener('pointermove', (e) => { if (e.pointerType === 'mouse') dragMove(e.clientY); });
addEventListener('pointerup', (e) => { if (e.pointerType === 'mouse') dragEnd(); });

// ---- following the player ----

watchTrack(() => { if (!view.hidden) fill(); });
Q.onChange(() => { if (!view.hidden) fillNext(); });
for (const ev of ['timeupdate', 'durationchange', 'play', 'pause', 'seeked', 'emptied']) {
  document.addEventListener(ev, (e) => { if (e.target.id === 'audio' && !view.hidden) sync(); }, true);
}
