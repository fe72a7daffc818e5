// What this browser decodes, told to the server once per page load
// (POST /api/device/caps) and carried in every stream URL (?caps=), so
// that the server sends a track's own bytes when the browser plays them
// and an exact-length WAV transcode when it does not (transcode.Decide);
// and this device's streaming quality, "Original" or "Data saver" (?q=saver:
// lossless and large files come as 128 kbit/s MP3), kept in localStorage.
// The names are the server's (transcode.ParseCaps); the token is the
// names that canPlayType does not answer "" for, sorted, joined by ".".

const types = {
  aac: 'audio/mp4; codecs="mp4a.40.2"',
  adts: 'audio/aac',
  aiff: 'audio/aiff',
  alac: 'audio/mp4; codecs="alac"',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  opus: 'audio/ogg; codecs="opus"',
  vorbis: 'audio/ogg; codecs="vorbis"',
  wav: 'audio/wav; codecs="1"',
  'webm-opus': 'audio/webm; codecs="opus"',
  'webm-vorbis': 'audio/webm; codecs="vorbis"',
};

const probe = document.createElement('audio');
const codecs = Object.keys(types).filter((k) => probe.canPlayType(types[k]) !== '').sort();

// caps is this browser's token, "none" when it decodes none of them.
export const caps = codecs.join('.') || 'none';

fetch('/api/device/caps', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ codecs }),
}).catch(() => {}); // the token in the URLs is what decides; this is for /play without one

const QKEY = 'earshot.quality';
let quality = 'original';
try { if (localStorage.getItem(QKEY) === 'saver') quality = 'saver'; } catch { /* storage disabled */ }

// streamQuery is the query of this device's stream and play URLs:
// "caps=…", and "&q=saver" under data saver.
export const streamQuery = () => `caps=${caps}${quality === 'saver' ? '&q=saver' : ''}`;

// The quality select (in the queue panel) shows and changes the setting;
// a change applies from the next track loaded.
const select = document.getElementById('quality');
if (select) {
  select.value = quality;
  select.addEventListener('change', () => {
    quality = select.value === 'saver' ? 'saver' : 'original';
    try { localStorage.setItem(QKEY, quality); } catch { /* not kept */ }
  });
}
