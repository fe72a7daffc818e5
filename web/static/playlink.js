// The #/play/{track id} route: what the desktop window opens when a row of
// its track table is double-clicked (app/play.go). It plays that track now,
// with its album as the queue, then shows the album's page in its place
// (replacing the route, so that Back does not play the track again). A
// track the library no longer has gets a toast and the Songs view. A
// browser that refuses to start sound without a click on the page loads
// the track paused and says "Tap play to start" (player.js).
//
// Each double-click opens another tab, so the tab that plays a link tells
// the page's other tabs in this browser, which pause: one player plays.
import { $, toast } from './dom.js';
import * as api from './api.js';
import { play, toggle } from './player.js';

const PREFIX = '#/play/';
const tabs = 'BroadcastChannel' in self ? new BroadcastChannel('earshot-play-link') : null;
tabs?.addEventListener('message', () => { if (!$('audio').paused) toggle(); });

// albumOf returns the album holding track t, with its tracks (disc, then
// track order), or null. The server groups albums by album artist (the
// artist when there is none) and title, ignoring case: so does this.
async function albumOf(t) {
  const artist = (t.albumArtist || t.artist || '').toLowerCase(), title = (t.album || '').toLowerCase();
  const a = api.albums(await api.get(api.urls.albums()))
    .find((x) => (x.title || '').toLowerCase() === title && (x.artist || '').toLowerCase() === artist);
  return a ? api.get(api.urls.album(a.id)) : null;
}

// playLink plays the track the location names, if it names one.
async function playLink() {
  if (!location.hash.startsWith(PREFIX)) return;
  let id = location.hash.slice(PREFIX.length);
  try { id = decodeURIComponent(id); } catch { /* used as it is */ }
  let t;
  try {
    t = await api.getJSON(`/api/tracks/${encodeURIComponent(id)}`);
  } catch (e) {
    toast(e.status === 404 ? 'That track is not in the library (any more).' : `Couldn't play the track: ${e.message}`);
    location.replace('#/');
    return;
  }
  const album = await albumOf(t).catch(() => null);
  play(t, album ? api.tracks(album) : [t]);
  tabs?.postMessage('playing');
  location.replace(album ? `#/albums/${encodeURIComponent(album.id)}` : '#/');
}

addEventListener('hashchange', playLink);
playLink();
