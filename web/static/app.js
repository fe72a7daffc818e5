// Earshot's browser player: lists the library, filters it, and plays it
// through the single <audio id="audio"> element. Tag text is only ever set
// with textContent.
import { clock, count, plural, words, fold, baseName } from './format.js';

const $ = (id) => document.getElementById(id);
const audio = $('audio'), list = $('list'), search = $('search');
const seek = $('seek'), volume = $('volume'), playBtn = $('play');
const ms = 'mediaSession' in navigator ? navigator.mediaSession : null;
const OFFLINE = "Can't reach Earshot. Is the app still running on the computer?";

let tracks = [];        // every track, in server order
let rows = new Map();   // track id → {li, btn, key}
let view = [];          // the tracks the filter shows, in list order
let current = null;     // the track loaded into the audio element
let loaded = false, loading = null, loadError = '';
let status = null, offline = false, pollTimer = 0;
let seekHeld = false, seekPending = false, lastSeekInput = 0, seekTimer = 0, autoStarted = false, errorsInRow = 0;

const api = (id, what) => `/api/tracks/${encodeURIComponent(id)}/${what}`;
const titleOf = (t) => t.title || baseName(t.path) || 'Untitled';
const artistOf = (t) => t.artist || t.albumArtist || 'Unknown artist';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function placeholder() {
  const s = el('span', 'cover ph');
  s.setAttribute('aria-hidden', 'true');
  return s;
}

// getJSON fetches url and returns its JSON body. Errors carry the server's
// {"error"} text; network failures are marked offline.
async function getJSON(url) {
  let r;
  try {
    r = await fetch(url, { cache: 'no-store' });
  } catch {
    throw Object.assign(new Error(OFFLINE), { offline: true });
  }
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error(body?.error || `${r.status} ${r.statusText}`);
  if (!body) throw new Error('The server sent an unreadable answer');
  return body;
}

// ---- library list ----

function makeRow(t) {
  const btn = el('button', 'row');
  btn.type = 'button';
  btn.dataset.trackId = t.id;
  let cover = placeholder();
  if (t.hasCover) {
    cover = el('img', 'cover');
    cover.loading = 'lazy'; // before src, or the image loads eagerly
    cover.decoding = 'async';
    cover.alt = '';
    cover.width = cover.height = 44;
    cover.src = api(t.id, 'cover');
  }
  const sub = el('span', 'sub');
  sub.append(el('span', 'ar', artistOf(t)));
  if (t.album) sub.append(el('span', 'al', t.album));
  const text = el('span', 'text');
  text.append(el('span', 't', titleOf(t)), sub);
  btn.append(cover, text, el('span', 'd', clock(t.duration)));
  const li = el('li');
  li.append(btn);
  return { li, btn, key: fold([titleOf(t), t.artist, t.albumArtist, t.album].join('\n')) };
}

function setTracks(ts) {
  tracks = ts;
  rows = new Map(ts.map((t) => [t.id, makeRow(t)]));
  loaded = true;
  if (current) current = ts.find((t) => t.id === current.id) || current;
  applyFilter();
}

function applyFilter() {
  const ws = words(search.value);
  view = ws.length ? tracks.filter((t) => ws.every((w) => rows.get(t.id).key.includes(w))) : tracks;
  const frag = document.createDocumentFragment();
  for (const t of view) frag.append(rows.get(t.id).li);
  list.replaceChildren(frag);
  markCurrent(false);
  renderEmpty();
  renderStatus();
}

function markCurrent(scroll) {
  list.querySelector('[aria-current]')?.removeAttribute('aria-current');
  const r = current && rows.get(current.id);
  if (!r) return;
  r.btn.setAttribute('aria-current', 'true');
  if (scroll && r.li.isConnected) r.btn.scrollIntoView({ block: 'nearest' });
}

function renderEmpty() {
  let msg = '';
  if (!loaded) msg = loadError || 'Loading…';
  else if (offline && !tracks.length) msg = OFFLINE;
  else if (!tracks.length) msg = status?.scanning ? 'Scanning your music folder…' : 'No tracks yet — choose a music folder in the Earshot window';
  else if (!view.length) msg = `Nothing matches “${search.value.trim()}”`;
  $('empty-text').textContent = msg;
  $('empty').hidden = !msg;
  $('retry').hidden = !(loadError && !loaded);
}

function loadTracks() {
  loading ??= (async () => {
    try {
      const body = await getJSON('/api/tracks');
      loadError = '';
      setTracks(Array.isArray(body.tracks) ? body.tracks : []);
    } catch (e) {
      if (!loaded) loadError = e.offline ? OFFLINE : `Couldn't load the library: ${e.message}`;
      else toast(`Couldn't refresh the library: ${e.message}`);
    } finally {
      loading = null;
      renderEmpty();
    }
  })();
  return loading;
}

// ---- status ----

async function poll() {
  clearTimeout(pollTimer);
  const prev = status, wasOffline = offline;
  try {
    status = await getJSON('/api/status');
    offline = false;
    const scanDone = prev?.scanning && !status.scanning;
    const changed = prev && !status.scanning && prev.tracks !== status.tracks;
    if (!loaded || wasOffline || scanDone || changed) loadTracks();
  } catch (e) {
    offline = !!e.offline;
    if (!offline) toast(`Status: ${e.message}`);
  }
  renderStatus();
  renderEmpty();
  pollTimer = setTimeout(poll, offline ? 3000 : status?.scanning ? 1000 : 5000);
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
    const n = loaded ? tracks.length : status.tracks;
    text = `${name} · ${words(search.value).length ? `${count(view.length)} of ` : ''}${plural(n, 'track')}`;
  }
  st.textContent = text;
  st.title = status?.library || '';
  st.classList.toggle('err', offline);
  bar.hidden = !scanning;
}

let toastTimer = 0;
function toast(msg) {
  const t = $('toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
}

// ---- playback ----

function playTrack(t, auto = false) {
  if (!t) return;
  current = t;
  autoStarted = auto;
  audio.src = api(t.id, 'stream');
  showNowPlaying(t);
  markCurrent(auto);
  start();
}

function start() {
  audio.play()?.catch((e) => {
    // AbortError: a newer track replaced this one; load errors reach 'error'.
    if (e.name === 'NotAllowedError') toast('Tap play to start');
  });
}

function showNowPlaying(t) {
  $('np-title').textContent = titleOf(t);
  $('np-artist').textContent = [artistOf(t), t.album].filter(Boolean).join(' — ');
  const img = $('np-cover');
  img.hidden = !t.hasCover;
  if (t.hasCover) img.src = api(t.id, 'cover');
  else img.removeAttribute('src');
  document.title = `${titleOf(t)} · ${artistOf(t)} — Earshot`;
  seek.disabled = false;
  seekPending = false;
  lastSeekInput = 0;
  setDuration();
  if (ms && window.MediaMetadata) {
    ms.metadata = new MediaMetadata({
      title: titleOf(t), artist: artistOf(t), album: t.album || '',
      artwork: t.hasCover ? [{ src: new URL(api(t.id, 'cover'), location.href).href }] : [],
    });
  }
}

// duration prefers the media's own figure once it is known and finite.
const duration = () => (Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : current?.duration || 0);

function setDuration() {
  const d = duration();
  seek.max = d;
  $('total').textContent = clock(d);
  updateTime();
}

function updateTime() {
  if (seekHeld || performance.now() - lastSeekInput < 500) return; // the user owns the thumb
  const t = audio.currentTime || 0;
  seek.value = t;
  $('elapsed').textContent = clock(t);
  seek.setAttribute('aria-valuetext', `${clock(t)} of ${clock(duration())}`);
}

function setPosition() {
  const d = audio.duration;
  if (!ms?.setPositionState || !Number.isFinite(d) || d <= 0) return;
  try {
    ms.setPositionState({ duration: d, position: Math.min(audio.currentTime, d), playbackRate: audio.playbackRate || 1 });
  } catch { /* some browsers reject odd states; position is optional */ }
}

const indexOfCurrent = () => (current ? view.findIndex((t) => t.id === current.id) : -1);

function next(auto = false) {
  const t = view[indexOfCurrent() + 1]; // not in the view: start at the top
  if (t) playTrack(t, auto);
}

function prev() {
  const i = indexOfCurrent();
  if (audio.currentTime > 3 || i <= 0) {
    if (current) audio.currentTime = 0;
  } else playTrack(view[i - 1]);
}

function toggle() {
  if (!current) next();
  else if (audio.paused) start();
  else audio.pause();
}

function syncPlaying() {
  const on = !audio.paused && !audio.ended;
  document.body.classList.toggle('playing', on);
  playBtn.setAttribute('aria-label', on ? 'Pause' : 'Play');
  if (ms) ms.playbackState = current ? (on ? 'playing' : 'paused') : 'none';
}

for (const ev of ['play', 'pause', 'ended', 'emptied']) audio.addEventListener(ev, syncPlaying);
for (const ev of ['loadedmetadata', 'durationchange']) audio.addEventListener(ev, setDuration);
for (const ev of ['loadedmetadata', 'seeked', 'play', 'pause']) audio.addEventListener(ev, setPosition);
audio.addEventListener('timeupdate', updateTime);
audio.addEventListener('waiting', () => playBtn.classList.add('busy'));
for (const ev of ['playing', 'pause', 'error', 'emptied']) audio.addEventListener(ev, () => playBtn.classList.remove('busy'));
audio.addEventListener('playing', () => { errorsInRow = 0; });
audio.addEventListener('ended', () => next(true));
audio.addEventListener('error', () => {
  if (!current || !audio.error) return;
  audio.pause();
  const fmt = current.format ? ` (${current.format})` : '';
  toast(`Can't play “${titleOf(current)}”${fmt}`);
  // Skip a broken file during continuous play, but don't spin through a dead list.
  if (autoStarted && ++errorsInRow < 5) setTimeout(() => next(true), 1500);
});
audio.addEventListener('volumechange', () => {
  volume.value = audio.muted ? 0 : audio.volume;
  $('player').classList.toggle('muted', audio.muted || audio.volume === 0);
});

// ---- controls ----

playBtn.addEventListener('click', toggle);
$('next').addEventListener('click', () => next());
$('prev').addEventListener('click', prev);
$('retry').addEventListener('click', () => { loadError = ''; renderEmpty(); poll(); loadTracks(); });
$('np-cover').addEventListener('error', (e) => { e.target.hidden = true; });

list.addEventListener('click', (e) => {
  const b = e.target.closest('li')?.querySelector('[data-track-id]');
  if (!b) return;
  if (current?.id === b.dataset.trackId) { if (audio.paused) start(); }
  else playTrack(tracks.find((t) => t.id === b.dataset.trackId));
});
// A cover that fails to load becomes the placeholder ('error' does not bubble).
list.addEventListener('error', (e) => { if (e.target.tagName === 'IMG') e.target.replaceWith(placeholder()); }, true);
list.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const li = e.target.closest('li');
  const to = e.key === 'ArrowDown' ? li?.nextElementSibling : li?.previousElementSibling;
  if (to) { e.preventDefault(); to.firstElementChild.focus(); }
});

search.addEventListener('input', () => { applyFilter(); window.scrollTo(0, 0); });
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') search.blur(); // closes a phone's keyboard
  else if (e.key === 'Escape' && search.value) { search.value = ''; applyFilter(); }
  else if (e.key === 'ArrowDown') { e.preventDefault(); list.querySelector('button')?.focus(); }
});
document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.target !== document.body) return;
  if (e.key === '/') { e.preventDefault(); search.focus(); }
  else if (e.key === ' ') { e.preventDefault(); toggle(); }
});

// Seeking: while a finger or mouse holds the thumb, or just after a key moved
// it, timeupdate leaves it alone; the position follows at most every 200 ms
// and exactly on release.
function applySeek() {
  clearTimeout(seekTimer);
  seekTimer = 0;
  if (seekPending && current) audio.currentTime = +seek.value;
  seekPending = false;
}
seek.addEventListener('pointerdown', () => { seekHeld = true; });
for (const ev of ['pointerup', 'pointercancel']) {
  window.addEventListener(ev, () => { if (seekHeld) { seekHeld = false; applySeek(); } });
}
seek.addEventListener('input', () => {
  seekPending = true;
  lastSeekInput = performance.now();
  $('elapsed').textContent = clock(+seek.value);
  seekTimer ||= setTimeout(applySeek, 200);
});
seek.addEventListener('change', applySeek);

try {
  const v = parseFloat(localStorage.getItem('earshot.volume'));
  if (v >= 0 && v <= 1) volume.value = v;
} catch { /* storage may be disabled */ }
audio.volume = +volume.value;
volume.addEventListener('input', () => { audio.muted = false; audio.volume = +volume.value; });
volume.addEventListener('change', () => {
  try { localStorage.setItem('earshot.volume', volume.value); } catch { /* not saved */ }
});

if (ms) {
  const actions = {
    play: () => start(), pause: () => audio.pause(),
    previoustrack: () => prev(), nexttrack: () => next(),
    seekto: (d) => { if (current) audio.currentTime = d.seekTime; },
  };
  for (const [a, f] of Object.entries(actions)) {
    try { ms.setActionHandler(a, f); } catch { /* action not supported */ }
  }
}

// The list scrolls under a sticky header and a fixed player; keep their
// heights in CSS so padding and scrollIntoView clear them.
const sizes = new ResizeObserver(() => {
  const s = document.documentElement.style;
  s.setProperty('--head-h', `${$('top').offsetHeight}px`);
  s.setProperty('--bar-h', `${$('player').offsetHeight}px`);
});
sizes.observe($('top'));
sizes.observe($('player'));

renderEmpty();
loadTracks();
poll();
