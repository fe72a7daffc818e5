package web

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// gaplessPart is the length of each part the continuous recording is cut
// into, in samples at 44.1 kHz: 5 s.
const gaplessPart = 5 * 44100

// gaplessPaths are the three parts' paths in the gapless library.
var gaplessPaths = []string{
	"Gapless Artist/Gapless Album/01 Part One.flac",
	"Gapless Artist/Gapless Album/02 Part Two.flac",
	"Gapless Artist/Gapless Album/03 Part Three.flac",
}

// gaplessLibrary makes one continuous 15-s FLAC recording and splits it
// with ffmpeg's atrim, sample-exact (FLAC is lossless and has no encoder
// padding), into three consecutive 5-s tracks of one album
// ([gaplessPaths]). It returns their folder.
func gaplessLibrary(t *testing.T) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatalf("ffmpeg is needed for the gapless fixtures: %v", err)
	}
	tmp := t.TempDir()
	playertest.Generate(t, tmp, playertest.Spec{Path: "whole.flac", Kind: playertest.FLAC, Seconds: 15})
	dir := filepath.Join(tmp, "Music")
	album := filepath.Join(dir, "Gapless Artist", "Gapless Album")
	if err := os.MkdirAll(album, 0o755); err != nil {
		t.Fatal(err)
	}
	parts := []struct{ name, title, track, trim string }{
		{"01 Part One.flac", "Part One", "1", "atrim=end_sample=" + strconv.Itoa(gaplessPart)},
		{"02 Part Two.flac", "Part Two", "2", "atrim=start_sample=" + strconv.Itoa(gaplessPart) + ":end_sample=" + strconv.Itoa(2*gaplessPart) + ",asetpts=PTS-STARTPTS"},
		{"03 Part Three.flac", "Part Three", "3", "atrim=start_sample=" + strconv.Itoa(2*gaplessPart) + ",asetpts=PTS-STARTPTS"},
	}
	for _, p := range parts {
		cmd := exec.Command(ffmpeg, "-v", "error", "-nostdin", "-y", "-i", filepath.Join(tmp, "whole.flac"),
			"-af", p.trim, "-map_metadata", "-1", "-c:a", "flac",
			"-metadata", "title="+p.title, "-metadata", "artist=Gapless Artist", "-metadata", "album=Gapless Album",
			"-metadata", "track="+p.track, filepath.Join(album, p.name))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("split %s: %v\n%s", p.name, err, stderr.Bytes())
		}
	}
	return dir
}

// jsGapSampler samples both media elements as often as timers run and,
// for each track in window.parts (URL pieces, in play order), estimates
// when its last sample played (from its last sample before its end: the
// time then plus the time it had left) and when its first sample played
// (from its first sample past 0: the time then minus its currentTime).
// window.gaps() returns, for each pair of consecutive parts, the
// difference in ms: positive is silence, negative is overlap.
const jsGapSampler = `(() => {
  const end = [], start = [];
  setInterval(() => {
    const now = performance.now();
    for (const a of document.querySelectorAll('audio')) {
      const i = parts.findIndex((p) => a.currentSrc.includes(p));
      if (i < 0) continue;
      if (!a.paused && a.currentTime < a.duration) end[i] = now + (a.duration - a.currentTime) * 1000;
      if (a.currentTime > 0 && start[i] === undefined) start[i] = now - a.currentTime * 1000;
    }
  }, 0);
  window.gaps = () => parts.slice(1).map((_, i) => start[i + 1] - end[i]);
})()`

// TestBrowserGapless plays three tracks cut from one recording and
// measures each gap, by timestamps taken in the page: from the moment the
// outgoing element's currentTime reaches its duration (extrapolated from
// its last sample before that) to the moment the incoming element's
// currentTime starts to advance (extrapolated back from its first sample
// past 0). Each gap must be under 100 ms of silence, a pause a listener
// would hear as a hiccup at most, and under 50 ms of overlap. It logs the
// figures.
func TestBrowserGapless(t *testing.T) {
	_, srv := serveFolder(t, gaplessLibrary(t))
	var ids []string
	for _, p := range gaplessPaths {
		ids = append(ids, player.TrackID(p))
	}

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("Gapless Artist", "Gapless Album")),
		chromedp.WaitVisible(`#view [data-track-id="`+ids[2]+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `window.parts = ['/`+ids[0]+`/', '/`+ids[1]+`/', '/`+ids[2]+`/']; `+jsGapSampler)
	eval[any](t, ctx, `document.querySelector('#view [data-track-id="`+ids[0]+`"]').click()`)
	until(t, ctx, "the first part to play", playingTrack(ids[0]))
	if d := eval[float64](t, ctx, `document.getElementById('audio').duration`); d != 5 {
		t.Errorf("first part lasts %v s, want 5 (a sample-exact cut)", d)
	}
	until(t, ctx, "the third part to play for a second", `(() => { const x = document.getElementById('audio'); return x.currentSrc.includes(parts[2]) && x.currentTime > 1 })()`)
	gaps := eval[[]float64](t, ctx, `gaps()`)
	t.Logf("gaps between the tracks: %.1f ms (1→2), %.1f ms (2→3)", gaps[0], gaps[1])
	for i, g := range gaps {
		if g > 100 || g < -50 {
			t.Errorf("gap %d→%d = %.1f ms, want within -50…100 ms", i+1, i+2, g)
		}
	}
}

// TestBrowserGaplessStrictAutoplay plays the two parts under an autoplay
// policy like iOS Safari's, emulated in the page: an element may start
// only if it was first started while a click was being handled. The preloaded
// element was not, so the page must fall back to the element that was
// and still play the second part without a tap.
func TestBrowserGaplessStrictAutoplay(t *testing.T) {
	_, srv := serveFolder(t, gaplessLibrary(t))
	a, b := player.TrackID(gaplessPaths[0]), player.TrackID(gaplessPaths[1])

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		playerInitScript(`window.refused = 0; window.gesture = false;
			document.addEventListener('click', () => { gesture = true; setTimeout(() => { gesture = false; }); }, true);
			{ const play = HTMLMediaElement.prototype.play;
			HTMLMediaElement.prototype.play = function () {
				if (gesture) this.unlocked = true;
				if (!this.unlocked) { refused++; return Promise.reject(new DOMException('refused', 'NotAllowedError')); }
				return play.call(this);
			}; }`),
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("Gapless Artist", "Gapless Album")),
		chromedp.Click(`#view [data-track-id="`+a+`"]`, chromedp.NodeVisible), // a real click: a user gesture
	); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the first part to play", playingTrack(a))
	until(t, ctx, "the second part to play without a tap", playingTrack(b))
	if n := eval[int](t, ctx, `refused`); n == 0 {
		t.Error("the emulated policy refused nothing: the test did not test the fallback")
	}
}
