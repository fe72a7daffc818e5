// Why a track could not be played, in words for a person. The player
// shows them in one line ("Skipped “Intro”: file not found") and plays the
// next track: a track that fails never stops the music.

// FOLDER_MISSING is the server's error text for a 503 while the library
// folder is gone from its path (web/respond.go): that one is waited out,
// as the track plays again once the folder is back.
const FOLDER_MISSING = 'library folder is missing';

// NEEDS_FFMPEG is the reason of a track the server lists as needing ffmpeg
// (track.needsFFmpeg): the player skips it without trying it.
export const NEEDS_FFMPEG = 'needs ffmpeg';

// needsFFmpeg reports whether the server's answer a to GET /play says
// the track reaches this browser as it is only because there is no
// ffmpeg to transcode it ("needs ffmpeg to play ALAC here",
// transcode.Decide): this browser said it can't decode it.
export const needsFFmpeg = (a) => !!a && !a.transcoded && typeof a.reason === 'string' && a.reason.startsWith(NEEDS_FFMPEG);

// ask asks the server about the stream at url after the player failed on
// it. It resolves to {wait: true} when the failure is one to wait out (the
// server can't be reached, or the library folder is missing), to {ok: true}
// when the server serves the stream (the browser failed on its bytes), and
// else to {reason}: the server's own words for its error answer ("file not
// found", "permission denied"), or its status. A HEAD has no body, so an
// error is asked again with a GET of one byte, whose answer says why.
export async function ask(url) {
  try {
    if ((await fetch(url, { method: 'HEAD', cache: 'no-store' })).ok) return { ok: true };
    const r = await fetch(url, { cache: 'no-store', headers: { Range: 'bytes=0-0' } });
    if (r.ok) {
      r.body?.cancel();
      return { ok: true };
    }
    const body = await r.json().catch(() => null);
    if (r.status === 503 && body?.error === FOLDER_MISSING) return { wait: true };
    return { reason: body?.error || `the server answered ${r.status} ${r.statusText}`.trim() };
  } catch {
    return { wait: true };
  }
}

// decodeReason says why the browser could not play track t that the server
// serves, from the element's MediaError err.
export function decodeReason(t, err) {
  const kind = t.format ? `${t.format.toUpperCase()} file` : 'file';
  switch (err?.code) {
    case 3: // MEDIA_ERR_DECODE
      return `the ${kind} is damaged: this browser could not decode it`;
    case 4: // MEDIA_ERR_SRC_NOT_SUPPORTED
      return `this browser can't play this ${kind}`;
    default:
      return `the ${kind} stopped playing`;
  }
}
