// The player bar: plays the queue (queue.js) through two <audio> elements
// that take turns, so that the next track is preloaded and, between
// consecutive tracks of one album, starts as the last one ends (gapless).
// The element playing is always the one with id "audio"; the other is
// "audio-next". Also here: seek, volume, the media session (lock screen
// and notification), resuming after a reload, and reconnecting by itself
// after the network or the server dropped (when playback has stopped, as
// stall.js judges). A cue sheet's track plays as a window of its whole
// file (see [startOf]).
import { clock } from './format.js';
import { $, toast, trackURL, titleOf, artistOf, thumb, coverFailed } from './dom.js';
import * as Q from './queue.js';
import { watchStalls } from './stall.js';
import { streamQuery } from './caps.js';
import { ask, decodeReason, needsFFmpeg, NEEDS_FFMPEG } from './skip.js';

const seek = $('seek'), volume = $('volume'), playBtn = $('play');
const ms = 'mediaSession' in navigator ? navigator.mediaSession : null;
const els = [$('audio'), $('audio-next')];
let cur = els[0], nxt = els[1];

let current = null;     // the track loaded into cur
let changed = () => {}; // called with the new track
let timed = () => {};   // called on each timeupdate (see onTime)
const watchers = new Set(); // more functions told of it (watchTrack)
let want = false;       // the listener wants sound: play was asked for and not paused
let loads = 0;          // counts loads; an older, slower one gives way
let pending = -1;       // the queue index started early in nxt (gapless), until it plays
let gapTimer = 0, winTimer = 0, saveAt = 0, lastPos = 0;
let retry = null;       // {delay (ms), pos (s), timer, reloaded} while reconnecting
let seekHeld = false, seekPending = false, lastSeekInput = -Infinity, seekTimer = 0, errorsInRow = 0;

// nowPlaying returns the track loaded into the player, or null.
export const nowPlaying = () => current;

// onTrackChange sets the function told of each new current track, with
// whether it came by itself (auto) and whether it is to play.
export function onTrackChange(f) { changed = f; }

// onTime sets the function told, on each timeupdate of the playing element
// while it is not seeking, of the current track and the seconds played of
// it ([position]: of its window for a cue track).
export function onTime(f) { timed = f; }

// watchTrack adds f to the functions told of each new current track, as
// onTrackChange's is: f(track, auto, play); f(null) when the player stops.
export function watchTrack(f) { watchers.add(f); }

function tell(t, auto, play) {
  if (t) changed(t, auto, play);
  for (const f of watchers) f(t, auto, play);
}

// ---- cue windows ----
// A track of a cue sheet ("end" in its JSON; "start" is omitted at 0)
// plays from the Range stream of its whole file, with a time window:
// loaded at its start, shown and reported (seek bar, times, Media
// Session) relative to it, and left at its end for the next track. When
// that is the file's next window, the same element just plays on: no gap
// at all. Not a transcode of the window: no ffmpeg and no CPU per play,
// the cut is at the exact sample positions of the lossless file, and
// seeking is the Range request it is for any file.
const startOf = (t) => (t?.end > 0 ? t.start || 0 : 0);
// within returns at (seconds into t's file) when it lies in t's window,
// else the window's start.
const within = (t, at) => (t?.end > 0 && !(at >= startOf(t) && at < t.end) ? startOf(t) : at);
// windowed reports whether the current track ends before its file does.
const windowed = () => current?.end > 0 && current.end < (Number.isFinite(cur.duration) ? cur.duration : Infinity) - 0.25;
// follows reports whether t is the window of the current track's file that
// starts where the current one ends.
const follows = (t) => t?.end > 0 && current?.end > 0 && t.path === current.path && Math.abs(startOf(t) - current.end) < 0.01;

// position returns the seconds played of the current track (of its window
// for a cue track).
export const position = () => Math.max(0, (cur.currentTime || 0) - startOf(current));

// seekTo moves to s seconds into the current track.
export function seekTo(s) {
  if (current) cur.currentTime = startOf(current) + Math.max(0, Math.min(duration(), s));
}

// armWindow stops the current cue track at its end (windowEnd), by a timer
// corrected as it comes close.
function armWindow() {
  if (winTimer) return;
  const tick = () => {
    winTimer = 0;
    if (cur.paused || !windowed()) return;
    const rest = (current.end - cur.currentTime) / (cur.playbackRate || 1);
    if (rest > 0.015) winTimer = setTimeout(tick, Math.max(5, (rest > 0.3 ? rest - 0.2 : rest) * 1000));
    else windowEnd();
  };
  tick();
}

// windowEnd moves on at the end of a cue track's window: playing on in the
// same element into the following window, else as at a file's end.
function windowEnd() {
  const k = Q.nextIndex(true), t = Q.cached(Q.state().ids[k]);
  if (k < 0 || k === Q.state().index || !follows(t)) { advance(); return; }
  Q.go(k);
  current = t;
  cur.dataset.id = t.id;
  lastPos = cur.currentTime;
  showNowPlaying(t);
  tell(t, true, true);
  setPosition();
  saveState();
}

// play starts t and makes list (the view it was chosen from) the queue.
// Tapping the playing track only resumes it.
export function play(t, list = [t]) {
  if (current?.id === t.id && cur.currentSrc && !retry) {
    Q.remember(list);
    if (cur.paused) start();
    return;
  }
  let k = list.findIndex((x) => x.id === t.id);
  if (k < 0) [list, k] = [[t], 0];
  Q.replace(list, k);
  errorsInRow = 0;
  load(Q.state().index);
}

// playAt plays the queue's entry at index k.
export const playAt = (k) => { errorsInRow = 0; load(k); };

// removeAt removes the queue's entry at index k; removing the one playing
// plays the one after it, or stops at the end.
export function removeAt(k) {
  const { index } = Q.state();
  Q.remove(k);
  if (k !== index) return;
  if (k < Q.state().ids.length) load(k, { play: want });
  else stop();
}

// fallback is what play/next start from when nothing was chosen yet.
let fallback = () => [];
export function setFallback(f) { fallback = f; }

// url is the stream of track id for this browser: the server sends the
// file's own bytes, or a transcode when caps lacks its codec or data saver
// shrinks it.
const url = (id) => `${trackURL(id, 'stream')}?${streamQuery()}`;

// decision asks the server how track t reaches this browser (GET /play
// with the stream URL's own query): {transcoded, reason, …}, or null when
// it can't be asked.
const decision = (t) => fetch(`${trackURL(t.id, 'play')}?${streamQuery()}`, { cache: 'no-store' })
  .then((r) => (r.ok ? r.json() : null)).catch(() => null);

// showDetail shows how the track reaches this browser under the artist:
// "transcoded ALAC → WAV", or "needs ffmpeg to play ALAC here" when this
// browser can't decode it and the server has no ffmpeg to transcode it;
// direct play shows nothing.
function showDetail(t) {
  const el = $('np-detail');
  el.textContent = '';
  decision(t).then((a) => { if (a && current?.id === t.id) el.textContent = a.transcoded || needsFFmpeg(a) ? a.reason : ''; });
}

// load makes the queue's entry k current: from nxt when it was preloaded,
// else by loading cur, at (seconds) into the track; it starts playing
// unless play is false. quiet keeps a refused autoplay silent.
async function load(k, { at = 0, play = true, auto = false, quiet = false } = {}) {
  const id = Q.state().ids[k];
  if (id === undefined) return;
  const n = ++loads;
  let t;
  try {
    t = await Q.track(id);
  } catch (e) {
    if (n !== loads || quiet) return;
    if (e.offline) { toast(`Can't play this track: ${e.message}`); return; }
    Q.go(k);
    skip(null, e.message, play); // no longer in the library
    return;
  }
  if (n !== loads) return;
  Q.go(k);
  at = within(t, at);
  if (t.needsFFmpeg) { // listed, but not to be played without ffmpeg: don't try
    cancelGap();
    stopRetry();
    release(cur);
    current = t;
    showNowPlaying(t);
    if (!quiet) skip(t, NEEDS_FFMPEG, play);
    else { want = false; syncPlaying(); } // restored: Play skips it, saying why (toggle)
    return;
  }
  cancelGap();
  stopRetry();
  if (nxt.dataset.id === id && at === startOf(t) && nxt.readyState >= 1 && !nxt.error) swap(true);
  else {
    cur.preload = 'auto';
    loadAt(cur, id, at);
  }
  current = t;
  lastPos = at;
  showNowPlaying(t);
  tell(t, auto, play);
  if (play) start(quiet);
  else { want = false; syncPlaying(); saveState(); }
}

// swap makes nxt the element playing; stopOld pauses and empties the other.
function swap(stopOld) {
  const old = cur;
  cur = nxt;
  nxt = old;
  old.id = 'audio-next';
  cur.id = 'audio';
  cur.volume = old.volume;
  cur.muted = old.muted;
  cur.playbackRate = 1;
  if (stopOld) release(old);
}

// loadAt loads track id into el at pos seconds. The media fragment #t asks
// for the position at once (always there when fragment is true, as on a
// reconnection's reload), but a browser may ignore it (WebKit does for a
// VBR MP3 without a Xing header): el.dataset.at makes loadedmetadata check
// the position and seek there when it is off.
function loadAt(el, id, pos, fragment = pos > 0) {
  el.src = url(id) + (fragment ? `#t=${pos.toFixed(2)}` : '');
  el.dataset.id = id;
  if (pos > 0) el.dataset.at = pos;
  else delete el.dataset.at;
}

function release(el) {
  el.pause();
  delete el.dataset.id;
  delete el.dataset.at;
  el.removeAttribute('src');
  el.load();
}

function stop() {
  cancelGap();
  stopRetry();
  want = false;
  current = null;
  release(cur);
  release(nxt);
  $('np-title').textContent = 'Nothing playing';
  $('np-artist').textContent = 'Choose a track';
  $('np-cover').hidden = true;
  seek.disabled = true;
  if (ms) ms.metadata = null;
  syncPlaying();
  saveState();
  tell(null);
}

function start(quiet) {
  want = true;
  const el = cur;
  el.play()?.catch((e) => {
    // AbortError: a newer track replaced this one; load errors reach 'error'.
    if (e.name !== 'NotAllowedError' || el !== cur) return;
    // A browser that unlocks each element by a tap (iOS) refuses the
    // preloaded one: play the track in the element that played before.
    if (nxt.dataset.ok && !el.dataset.ok) {
      const id = el.dataset.id, at = +el.dataset.at || 0;
      swap(true);
      loadAt(cur, id, at);
      start(quiet);
      return;
    }
    want = false;
    syncPlaying();
    if (!quiet) toast('Tap play to start');
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
  showDetail(t);
  seek.disabled = false;
  seekPending = false;
  lastSeekInput = -Infinity; // no key has moved the thumb (performance.now() starts at 0 on each load)
  setDuration();
  if (ms && window.MediaMetadata) {
    const cover = new URL(trackURL(t.id, 'cover'), location.href).href;
    ms.metadata = new MediaMetadata({
      title: titleOf(t), artist: artistOf(t), album: t.album || '',
      artwork: t.hasCover ? [96, 300].map((s) => ({ src: `${cover}?size=${s}`, sizes: `${s}x${s}`, type: 'image/jpeg' })) : [],
    });
  }
}

// duration is the track's length in seconds: the library's exact figure
// (the server reads it from the file's headers, or counts an MP3's frames),
// else the media's own once known. A browser only estimates a VBR MP3
// without a Xing header from its first bit rate (Firefox said 1:44 for
// 90.02 s), so its figure must not reach the seek bar, the times or the
// lock screen.
const duration = () => (current?.duration > 0 ? current.duration : Number.isFinite(cur.duration) && cur.duration > 0 ? cur.duration : 0);

function setDuration() {
  const d = duration();
  seek.max = d;
  $('total').textContent = clock(d);
  updateTime();
}

function updateTime() {
  if (seekHeld || performance.now() - lastSeekInput < 500) return; // the user owns the thumb
  const t = position();
  seek.value = t;
  $('elapsed').textContent = clock(t);
  seek.setAttribute('aria-valuetext', `${clock(t)} of ${clock(duration())}`);
}

function setPosition() {
  const d = duration();
  if (!ms?.setPositionState || !(d > 0) || !current) return;
  try {
    ms.setPositionState({ duration: d, position: Math.min(position(), d), playbackRate: cur.playbackRate || 1 });
  } catch { /* some browsers reject odd states; position is optional */ }
}

function saveState() {
  Q.saveState({ pos: retry ? retry.pos : cur.currentTime || lastPos, playing: want });
}

// next plays the queue's next track (the first of the view on screen when
// the queue is empty); prev restarts the track or plays the one before.
export function next() {
  if (!Q.state().ids.length) {
    const list = fallback();
    if (list.length) play(list[0], list);
    return;
  }
  const k = Q.nextIndex(false);
  if (k >= 0) load(k);
}

export function prev() {
  const k = Q.prevIndex();
  if (position() > 3 || k < 0) {
    if (current) seekTo(0);
  } else load(k);
}

// toggle plays or pauses.
export function toggle() {
  if (!current) next();
  else if (current.needsFFmpeg) skip(current, NEEDS_FFMPEG, true);
  else if (cur.paused || retry) { if (retry) { retry.delay = 0; reconnect(); } else start(); }
  else { want = false; cur.pause(); }
}

// seekBy moves the position by d seconds.
export function seekBy(d) { seekTo(position() + d); }

// toggleMute mutes or unmutes.
export function toggleMute() { cur.muted = !cur.muted; }

function syncPlaying() {
  const on = !cur.paused && !cur.ended;
  document.body.classList.toggle('playing', on);
  playBtn.setAttribute('aria-label', on ? 'Pause' : 'Play');
  if (ms) ms.playbackState = current ? (on ? 'playing' : 'paused') : 'none';
}

// ---- gapless: the next track of the same album starts as this one ends ----

const albumOf = (t) => t && t.album && `${t.albumArtist || t.artist}\n${t.album}`;

function preloadNext() {
  const k = Q.nextIndex(true), id = Q.state().ids[k];
  if (k < 0 || k === Q.state().index || id === undefined || nxt.dataset.id === id) return;
  const t = Q.cached(id);
  if (!t) { Q.track(id).catch(() => {}); return; } // for the album and window checks, at the next timeupdate
  if (t.needsFFmpeg || follows(t)) return;
  nxt.preload = 'auto';
  loadAt(nxt, id, startOf(t));
}

// gapless reports whether nxt holds the next track and it follows the
// current one on the same album.
function gapless() {
  const k = Q.nextIndex(true), id = Q.state().ids[k];
  if (k < 0 || k === Q.state().index || nxt.dataset.id !== id || nxt.readyState < 3) return false;
  const t = Q.cached(id), a = albumOf(current);
  return !!a && a === albumOf(t) && (!t.trackNumber || !current.trackNumber || t.trackNumber === current.trackNumber + 1 || t.discNumber !== current.discNumber);
}

// armGap sets a timer for the end of the track, corrected once close to
// it, that starts nxt so that its first sample follows cur's last.
function armGap(left) {
  if (gapTimer || pending >= 0) return;
  const tick = () => {
    const rest = (cur.duration - cur.currentTime) / (cur.playbackRate || 1);
    if (cur.paused || !gapless()) { gapTimer = 0; return; }
    if (rest > 0.12) { gapTimer = setTimeout(tick, (rest - 0.1) * 1000); return; }
    gapTimer = setTimeout(handOver, rest * 1000);
  };
  gapTimer = setTimeout(tick, Math.max(0, left - 0.4) * 1000);
}

// handOver starts nxt when cur's currentTime reaches its end; measured in
// Chromium, the next track's currentTime then moves ~15 ms after the last
// one's stopped. (Calling play() earlier by the play()-to-moving latency,
// ~80 ms there, made the tracks overlap by ~77 ms: that is not the gap.)
function handOver() {
  gapTimer = 0;
  if (cur.paused || !gapless()) return;
  pending = Q.nextIndex(true);
  nxt.currentTime = startOf(Q.cached(nxt.dataset.id));
  nxt.play()?.catch(() => { pending = -1; });
}

function cancelGap() {
  clearTimeout(gapTimer);
  clearTimeout(winTimer);
  gapTimer = winTimer = 0;
  if (pending >= 0) { pending = -1; nxt.pause(); }
}

// commit makes the early-started nxt the current element.
function commit() {
  const k = pending;
  pending = -1;
  if (Q.state().ids[k] !== nxt.dataset.id) { nxt.pause(); return; }
  Q.go(k);
  swap(false); // the old element plays out its last samples
  current = Q.cached(cur.dataset.id) || current;
  lastPos = 0;
  showNowPlaying(current);
  tell(current, true, true);
  syncPlaying();
  registerActions();
  setPosition();
}

// ---- reconnecting: retry with backoff, resume at the same position ----

function setReconnecting(on) {
  $('np-status').textContent = on ? 'Reconnecting…' : '';
  $('player').classList.toggle('reconnecting', on);
}

function stopRetry() {
  if (!retry) return;
  clearTimeout(retry.timer);
  retry = null;
  setReconnecting(false);
}

// reconnect waits retry.delay (0.5, 1, 2, 4 … at most 10 s), then asks the
// server for the track (HEAD); once it answers, the track reloads at the
// position it stopped at and plays on if it was playing.
function reconnect(pos) {
  if (!current) return;
  retry ||= { delay: 500, pos: pos ?? lastPos };
  setReconnecting(true);
  clearTimeout(retry.timer);
  const r = retry, id = current.id;
  r.reloaded = false;
  r.timer = setTimeout(async () => {
    let st = 0;
    try { st = (await fetch(url(id), { method: 'HEAD', cache: 'no-store' })).status; } catch { /* still down */ }
    if (retry !== r) return;
    if (st >= 400 && st < 500) { stopRetry(); failed(r.pos); return; }
    r.delay = Math.min(r.delay * 2 || 500, 10000);
    if (st !== 200 && st !== 206) { reconnect(); return; }
    loadAt(cur, id, r.pos, true);
    r.reloaded = true; // the watchdog looks at this load too
    if (want) start(true);
    else cur.load();
  }, r.delay);
}

// failed asks the server why the current track failed (see [ask]): it
// reconnects at pos when that is to be waited out, else skips the track
// with the reason (the browser's, when the server serves it).
function failed(pos) {
  const t = current, err = cur.error;
  Promise.all([ask(url(t.id)), decision(t)]).then(([a, d]) => {
    if (current !== t) return;
    if (a.wait || retry) reconnect(pos);
    // Bytes this browser can't decode, sent as they are because the
    // server has no ffmpeg to transcode them: its reason says so.
    else skip(t, a.reason || (needsFFmpeg(d) ? d.reason : decodeReason(t, err)), want);
  });
}

// skip says in one line which track can't be played (t, or null when even
// its entry could not be fetched) and why, then plays the queue's next
// track (playing if play is true): a track that fails never stops the
// music. A run of failures as long as the queue stops there, so a queue
// of broken files (or repeat all over one) does not spin.
function skip(t, why, play) {
  cur.pause();
  const k = Q.nextIndex(false), all = ++errorsInRow >= Q.state().ids.length;
  toast(`Skipped ${t ? `“${titleOf(t)}”` : 'a track'}: ${why}${all && errorsInRow > 1 ? ' (no track in the queue could be played)' : ''}`);
  if (k < 0 || all) {
    errorsInRow = 0;
    want = false;
    syncPlaying();
    saveState();
    return;
  }
  load(k, { auto: true, play });
}

// ---- events; each element's events count only while it is cur ----

function advance() {
  const k = Q.nextIndex(true);
  if (k < 0) { want = false; cur.pause(); syncPlaying(); saveState(); return; }
  if (k === Q.state().index) { seekTo(0); start(); return; }
  load(k, { auto: true });
}

function registerActions() {
  if (!ms) return;
  const actions = {
    play: () => start(), pause: () => { want = false; cur.pause(); },
    previoustrack: () => prev(), nexttrack: () => next(),
    seekto: (d) => seekTo(d.seekTime),
    // null: iOS then shows previous/next rather than ±10 s.
    seekbackward: null, seekforward: null,
  };
  for (const [a, f] of Object.entries(actions)) {
    try { ms.setActionHandler(a, f); } catch { /* action not supported */ }
  }
}

const on = (evs, f) => {
  for (const el of els) for (const ev of evs.split(' ')) el.addEventListener(ev, (e) => { if (e.target === cur) f(e); });
};
on('play pause ended emptied', syncPlaying);
on('loadedmetadata durationchange', setDuration);
on('loadedmetadata seeked play pause durationchange ratechange playing', setPosition);
on('timeupdate', () => {
  updateTime();
  if (cur.seeking || !current) return;
  lastPos = cur.currentTime;
  timed(current, position());
  if (performance.now() - saveAt > 1000) { saveAt = performance.now(); saveState(); }
  const left = duration() - position();
  if (left < 10 && !cur.paused) preloadNext();
  if (left < 1.5 && !cur.paused && windowed()) armWindow();
  else if (left < 1.5 && !cur.paused && gapless()) armGap(left);
});
on('seeked pause play', saveState);
on('waiting', () => playBtn.classList.add('busy'));
on('playing pause error emptied', () => playBtn.classList.remove('busy'));
// A load at a position (loadAt) lands there even where #t was ignored.
on('loadedmetadata', () => {
  const at = +cur.dataset.at;
  delete cur.dataset.at;
  if (at > 0 && Math.abs(cur.currentTime - at) > 0.5) cur.currentTime = at;
});
// The connection stopped delivering while playing: reconnect where it stood.
watchStalls(els, { el: () => cur, wanted: () => want && !!current && (!retry || retry.reloaded) && !cur.paused, stopped: (pos) => reconnect(pos || lastPos) });
on('playing', () => { errorsInRow = 0; stopRetry(); registerActions(); });
on('canplay', () => { if (!want) stopRetry(); });
on('ended', () => { if (pending < 0) advance(); });
on('error', () => {
  if (!current || !cur.error) return;
  const pos = cur.currentTime || lastPos;
  if (retry) { reconnect(); return; }
  // A network error, or any error while the server is unreachable, is a
  // drop to wait out; so is a 503 (the library folder is missing: it plays
  // on once the folder is back). Another error from a reachable server is a
  // broken file or one this browser can't play: skipped, saying why.
  if (cur.error.code === MediaError.MEDIA_ERR_NETWORK) { reconnect(pos); return; }
  failed(pos);
});
on('volumechange', () => {
  volume.value = cur.muted ? 0 : cur.volume;
  $('player').classList.toggle('muted', cur.muted || cur.volume === 0);
});
for (const el of els) {
  el.addEventListener('playing', (e) => { e.target.dataset.ok = 1; if (e.target === nxt && pending >= 0) commit(); });
  el.addEventListener('ended', (e) => { if (e.target === nxt && pending < 0) release(nxt); });
}
addEventListener('pagehide', saveState);

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
  if (seekPending && current) seekTo(+seek.value);
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
for (const el of els) el.volume = +volume.value;
volume.addEventListener('input', () => { for (const el of els) { el.muted = false; el.volume = +volume.value; } });
volume.addEventListener('change', () => {
  try { localStorage.setItem('earshot.volume', volume.value); } catch { /* not saved */ }
});

registerActions();

// Resume where the last visit was: loaded at its position, playing if it
// was (a browser may refuse to autoplay: then it waits, paused).
const saved = Q.restore();
if (saved) load(saved.index, { at: saved.pos, play: saved.playing, quiet: true });
