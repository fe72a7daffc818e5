// The stall watchdog: tells a connection that has stopped delivering from
// the events browsers fire while all is well, so that the player reloads
// the source only when playback has really stopped.
//
// A `stalled` event alone says nothing: it fires whenever no bytes came for
// about 3 s, also while the element plays from its buffer. WebKit fires it
// about 3.5 s after each seek, while currentTime moves and readyState says
// 2; the player used to reload on it, which froze or restarted the track.
// The watchdog instead looks at the position: the element must be wanted
// playing, currentTime must not have moved for FROZEN ms, the element must
// lack data (readyState below HAVE_FUTURE_DATA) or still be seeking (WebKit
// says readyState 4 and networkState IDLE while a seek waits for a range
// that never comes), and the network must agree
// that the data is not coming: a `stalled` event since the position last
// moved (the request is open but silent, as when a server holds the
// stream), a network state other than LOADING (the browser gave up on the
// load), an element error, or navigator.onLine false.

// TICK is how often, in ms, the watchdog looks at the element.
const TICK = 1000;

// FROZEN is how long, in ms, the position must stand still before the
// watchdog calls the stop: longer than a `stalled` (3 s) plus a slow seek
// on a phone's network, short enough that a listener notices the recovery.
export const FROZEN = 6000;

// watchStalls watches the media elements els. el() returns the element
// that counts (the one playing); wanted() reports whether the listener
// wants sound from it now (play asked for, not paused, not already
// reconnecting). stopped(pos) is called once per stop, with the position
// in seconds where playback stood; the watchdog starts afresh when the
// element or its source changes, or the position moves again.
export function watchStalls(els, { el, wanted, stopped }) {
  let last = null, src = '', pos = -1, movedAt = 0, stalledSeen = false, fired = false;
  for (const e of els) {
    e.addEventListener('stalled', () => { if (e === el()) stalledSeen = true; });
  }
  setInterval(() => {
    const e = el(), now = performance.now();
    if (e !== last || e.currentSrc !== src || e.currentTime !== pos || !wanted() || e.ended) {
      if (e !== last || e.currentSrc !== src || e.currentTime !== pos) stalledSeen = false;
      last = e;
      src = e.currentSrc;
      pos = e.currentTime;
      movedAt = now;
      fired = false;
      return;
    }
    if (fired || now - movedAt < FROZEN || (e.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && !e.seeking)) return;
    const netSays = stalledSeen || e.networkState !== HTMLMediaElement.NETWORK_LOADING || !!e.error || navigator.onLine === false;
    if (!netSays) return;
    fired = true;
    stopped(pos);
  }, TICK);
}
