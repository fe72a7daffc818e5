// A real third-party Subsonic client, the subsonic-api package, used by
// web/subsonic_client_test.go: it logs in to the server at argv[2] with
// the app password argv[3] (token auth and apiKey), browses, searches,
// streams (Range, timeOffset), gets a cover and changes user data, then
// prints what it saw as one JSON object for the Go test to assert.
import { createHash } from "node:crypto";
import { SubsonicAPI } from "subsonic-api";

const [url, password] = process.argv.slice(2);
let range = null; // a Range header for the next request
const fetchRange = (u, init = {}) =>
  fetch(u, range ? { ...init, headers: { ...(init.headers || {}), Range: range } } : init);
const token = new SubsonicAPI({ url, auth: { username: "earshot", password }, fetch: fetchRange });
const key = new SubsonicAPI({ url, auth: { apiKey: password }, fetch: fetchRange });
const sha = (buf) => createHash("sha256").update(buf).digest("hex");
const out = {};

out.pingToken = (await token.ping()).status;
out.pingKey = (await key.ping()).status;
out.wrong = (await new SubsonicAPI({ url, auth: { username: "earshot", password: "nope" } }).ping()).error?.code;

const artists = await token.getArtists();
const beck = artists.artists.index.flatMap((i) => i.artist).find((a) => a.name === "Beck");
const artist = await key.getArtist({ id: beck.id });
out.albums = artist.artist.album.map((a) => a.name);
const odelay = artist.artist.album.find((a) => a.name === "Odelay");
const album = await token.getAlbum({ id: odelay.id });
const song = album.album.song[0];
out.songId = song.id;
out.songTitle = (await key.getSong({ id: song.id })).song.title;
out.search = (await token.search3({ query: "waterloo" })).searchResult3.song.map((s) => s.title);
const abba = (await token.search3({ query: "", songCount: 500 })).searchResult3.song;
out.all = abba.length;
const waterloo = abba.find((s) => s.title === "Waterloo");
out.waterlooId = waterloo.id;

range = "bytes=100-1099";
const part = await token.stream({ id: song.id, format: "raw" });
out.rangeStatus = part.status;
out.rangeSha = sha(Buffer.from(await part.arrayBuffer()));
range = null;

const late = await key.stream({ id: song.id, format: "mp3", timeOffset: 30 });
out.offsetStatus = late.status;
out.offsetType = late.headers.get("content-type");
out.offsetLength = Number(late.headers.get("content-length"));
out.offsetBytes = (await late.arrayBuffer()).byteLength;

const cover = await token.getCoverArt({ id: waterloo.coverArt, size: 300 });
out.coverStatus = cover.status;
out.coverType = cover.headers.get("content-type");
out.coverSha = sha(Buffer.from(await cover.arrayBuffer()));

out.star = (await token.star({ id: waterloo.id })).status;
out.starred = (await key.getStarred2()).starred2.song.map((s) => s.id);
const pl = await token.createPlaylist({ name: "Road trip", songId: [waterloo.id, song.id] });
out.playlist = pl.playlist.entry.map((s) => s.id);
out.scrobble = (await key.scrobble({ id: waterloo.id, submission: true })).status;
out.saveQueue = (await token.savePlayQueue({ id: [song.id, waterloo.id], current: waterloo.id, position: 5000 })).status;
const queue = (await key.getPlayQueue()).playQueue;
out.queue = { current: queue.current, position: queue.position, ids: queue.entry.map((s) => s.id) };

console.log(JSON.stringify(out));
