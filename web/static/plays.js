// Play reports: counts the seconds of each listen actually heard (not
// those seeked over) and, once they reach half the track or 4 minutes (the
// Last.fm rule, which the server applies too), sends POST /api/plays
// {trackId, played, listenId} once for that listen. A report that could not
// be sent is tried again when the track changes and when the page is
// hidden (fetch keepalive outlives the page), so a listen is not lost; the
// listen ID makes a report sent twice count once.
import { onTime, position } from './player.js';

const COUNT_AFTER = 240; // s: a play counts after half the track or this
const STEP = 2.5;        // s: a longer step between two timeupdates was a jump, not heard

// listen is the one going on: {track, id, played (s heard), last (s into
// the file at the last timeupdate), state: '' | 'sent' | 'failed'}.
let listen = null;

const threshold = (t) => (t.duration > 0 ? Math.min(t.duration / 2, COUNT_AFTER) : COUNT_AFTER);
const newID = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

// report sends l's play once it counts; a failed send is tried again only
// when retry is true (a change of track, the page hidden).
function report(l, retry = false) {
  if (l.state === 'sent' || (l.state === 'failed' && !retry) || l.played < threshold(l.track)) return;
  l.state = 'sent';
  const body = JSON.stringify({ trackId: l.track.id, played: Math.round(l.played * 100) / 100, listenId: l.id });
  fetch('/api/plays', { method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' }, body })
    .then((r) => { if (r.status >= 500) l.state = 'failed'; }, () => { l.state = 'failed'; });
}

// begin ends the listen going on (reporting it if still due) and starts
// one of track t at time (s).
function begin(t, time) {
  if (listen) report(listen, true);
  listen = { track: t, id: newID(), played: 0, last: time, state: '' };
}

onTime((t, time) => {
  if (listen?.track.id !== t.id) { begin(t, time); return; }
  const d = time - listen.last;
  if (d > 0 && d <= STEP) listen.played += d;
  listen.last = time;
  report(listen);
});

// A seek is not heard: the count goes on from where it landed. Back to the
// start from further on (repeat one, or played again) is a new listen.
document.addEventListener('seeked', (e) => {
  if (!listen || e.target.id !== 'audio') return;
  const time = position();
  if (time < 1 && listen.last > STEP) begin(listen.track, time);
  else listen.last = time;
}, true);

addEventListener('pagehide', () => { if (listen) report(listen, true); });
