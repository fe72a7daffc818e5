// The JSON API as the page uses it: fetches with a cache that a library
// change clears, the endpoints, and the arrays of their answers.

export const OFFLINE = "Can't reach Earshot. Is the app still running on the computer?";

// getJSON fetches url and returns its JSON body. Errors carry the server's
// {"error"} text and status; network failures are marked offline.
export async function getJSON(url) {
  let r;
  try {
    r = await fetch(url, { cache: 'no-store' });
  } catch {
    throw Object.assign(new Error(OFFLINE), { offline: true });
  }
  const body = await r.json().catch(() => null);
  if (!r.ok) throw Object.assign(new Error(body?.error || `${r.status} ${r.statusText}`), { status: r.status });
  if (!body) throw new Error('The server sent an unreadable answer');
  return body;
}

// send makes a change: method on url with body (sent as JSON). It resolves
// to the answer's JSON (null for 204) and rejects with the server's
// {"error"} text, or OFFLINE when the server can't be reached.
export async function send(method, url, body) {
  let r;
  try {
    r = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  } catch {
    throw new Error(OFFLINE);
  }
  const b = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) throw new Error(b?.error || `${r.status} ${r.statusText}`);
  return b;
}

const cache = new Map(); // url → Promise of its body

// get is getJSON through the cache; a failed fetch is not kept.
export function get(url) {
  let p = cache.get(url);
  if (!p) {
    p = getJSON(url);
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

// forget empties the cache, after the library changed.
export const forget = () => cache.clear();

const q = encodeURIComponent;
export const urls = {
  tracks: (offset, limit) => `/api/tracks?offset=${offset}&limit=${limit}`,
  albums: () => '/api/albums',
  album: (id) => `/api/albums/${q(id)}`,
  artists: () => '/api/artists',
  artist: (id) => `/api/artists/${q(id)}`,
  genres: () => '/api/genres',
  genre: (id) => `/api/genres/${q(id)}`,
  folder: (path) => `/api/folders?path=${q(path)}`,
  search: (s) => `/api/search?q=${q(s)}`,
  problems: () => '/api/problems',
};

const list = (v) => (Array.isArray(v) ? v : []);

// The answers' shapes (player.Album, Artist, Genre, Folder and their
// details; SearchResult): arrays may be missing from an older server.
export const albums = (body) => list(body.albums);
export const artists = (body) => list(body.artists);
export const genres = (body) => list(body.genres);
export const tracks = (body) => list(body.tracks);
export const folders = (body) => list(body.folders);
// playlists are a search's {id, name, trackCount, file} (player.PlaylistResult).
export const playlists = (body) => list(body.playlists);
// problems are {path, reason, trackId?} (player.Problem).
export const problems = (body) => list(body.problems);
