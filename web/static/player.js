// The player bar: plays a queue of tracks through the single
// <audio id="audio"> element, with seek, volume and the media session.
import { clock } from './format.js';
import { $, toast, trackURL, titleOf, artistOf, thumb, coverFailed } from './dom.js';

const audio = $('audio'), seek = $('seek'), volume = $('volume'), playBtn = $('play');
const ms = 'mediaSession' in navigator ? navigator.mediaSession : null;

let queue = [];         // the list the current track was started from
let current = null;     // the track loaded into the audio element
let changed = () => {}; // called with the new track
let seekHeld = false, seekPending = false, lastSeekInput = 0, seekTimer = 0, autoStarted = false, errorsInRow = 0;

// nowPlaying returns the track loaded into the player, or null.
export const nowPlaying = () => current;

// onTrackChange sets the function told of each new current track.
export function onTrackChange(f) { changed = f; }

// play starts t, and makes list (the view it was chosen from) the queue
// that next and previous walk. Tapping the playing track only resumes it.
export function play(t, list = [t]) {
  queue = list;
  if (current?.id === t.id && audio.currentSrc) {
    if (audio.paused) start();
    return;
  }
  load(t, false);
}

// fallback is what play/next start from when nothing was chosen yet.
let fallback = () => [];
export function setFallback(f) { fallback = f; }

function load(t, auto) {
  if (!t) return;
  current = t;
  autoStarted = auto;
  audio.src = trackURL(t.id, 'stream');
  showNowPlaying(t);
  changed(t, auto);
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
  if (t.hasCover) img.src = thumb(img, trackURL(t.id, 'cover'), 96);
  else img.removeAttribute('src');
  document.title = `${titleOf(t)} · ${artistOf(t)} — Earshot`;
  seek.disabled = false;
  seekPending = false;
  lastSeekInput = 0;
  setDuration();
  if (ms && window.MediaMetadata) {
    ms.metadata = new MediaMetadata({
      title: titleOf(t), artist: artistOf(t), album: t.album || '',
      artwork: t.hasCover ? [{ src: new URL(trackURL(t.id, 'cover'), location.href).href }] : [],
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

function index() {
  if (!queue.length) queue = fallback();
  return current ? queue.findIndex((t) => t.id === current.id) : -1;
}

function next(auto = false) {
  const t = queue[index() + 1]; // not in the queue: start at the top
  if (t) load(t, auto);
}

function prev() {
  const i = index();
  if (audio.currentTime > 3 || i <= 0) {
    if (current) audio.currentTime = 0;
  } else load(queue[i - 1], false);
}

export function toggle() {
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

playBtn.addEventListener('click', toggle);
$('next').addEventListener('click', () => next());
$('prev').addEventListener('click', prev);
$('np-cover').addEventListener('error', (e) => coverFailed(e.target, true));

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
