package web

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// gaplessSplit is where the continuous recording is cut, in samples at
// 44.1 kHz: 6 s.
const gaplessSplit = 6 * 44100

// gaplessLibrary makes one continuous 14-s FLAC recording and splits it
// with ffmpeg's atrim, sample-exact (FLAC is lossless and has no encoder
// padding), into two consecutive tracks of one album: "01 Part One.flac"
// (6 s) and "02 Part Two.flac" (8 s). It returns their folder.
func gaplessLibrary(t *testing.T) string {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatalf("ffmpeg is needed for the gapless fixtures: %v", err)
	}
	tmp := t.TempDir()
	playertest.Generate(t, tmp, playertest.Spec{Path: "whole.flac", Kind: playertest.FLAC, Seconds: 14})
	dir := filepath.Join(tmp, "Music")
	album := filepath.Join(dir, "Gapless Artist", "Gapless Album")
	if err := os.MkdirAll(album, 0o755); err != nil {
		t.Fatal(err)
	}
	parts := []struct{ name, title, track, trim string }{
		{"01 Part One.flac", "Part One", "1", "atrim=end_sample=" + strconv.Itoa(gaplessSplit)},
		{"02 Part Two.flac", "Part Two", "2", "atrim=start_sample=" + strconv.Itoa(gaplessSplit) + ",asetpts=PTS-STARTPTS"},
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

// jsGapSampler samples both media elements every millisecond (as often as
// timers run) and, from the samples, estimates when the outgoing track's
// last sample played (its last sample before the end plus the time it had
// left) and when the incoming one's first sample played (its first sample
// past 0 minus its currentTime). window.gap() returns the difference in
// ms: positive is silence, negative is overlap.
const jsGapSampler = `(() => {
  let endA = null, startB = null, endedAt = null, movingAt = null;
  setInterval(() => {
    const now = performance.now();
    for (const a of document.querySelectorAll('audio')) {
      if (!a.currentSrc) continue;
      if (a.currentSrc.includes(A)) {
        if (!a.paused && a.currentTime < a.duration) endA = now + (a.duration - a.currentTime) * 1000;
        if (a.ended && endedAt === null) endedAt = now;
      } else if (a.currentSrc.includes(B) && a.currentTime > 0 && startB === null) {
        startB = now - a.currentTime * 1000;
        movingAt = now;
      }
    }
  }, 0);
  window.gap = () => ({gap: startB - endA, endA, startB, endedAt, movingAt});
})()`

// TestBrowserGapless plays the first of two tracks cut from one recording
// and measures the gap to the second, by timestamps taken in the page:
// from the moment the first element's currentTime reaches its duration
// (extrapolated from its last sample before that) to the moment the second
// element's currentTime starts to advance (extrapolated back from its first
// sample past 0). The gap must be under 100 ms of silence, a pause a
// listener would hear as a click or hiccup at most, and under 50 ms of
// overlap. It logs the figure.
func TestBrowserGapless(t *testing.T) {
	src, err := player.OpenFolder(gaplessLibrary(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.NewLibrary()
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	a := player.TrackID("Gapless Artist/Gapless Album/01 Part One.flac")
	b := player.TrackID("Gapless Artist/Gapless Album/02 Part Two.flac")

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/#/albums/"+player.AlbumID("Gapless Artist", "Gapless Album")),
		chromedp.WaitVisible(`#view [data-track-id="`+b+`"]`),
	); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `window.A = '/`+a+`/'; window.B = '/`+b+`/'; `+jsGapSampler)
	eval[any](t, ctx, `document.querySelector('#view [data-track-id="`+a+`"]').click()`)
	until(t, ctx, "the first part to play", playingTrack(a))
	if d := eval[float64](t, ctx, `document.getElementById('audio').duration`); d != 6 {
		t.Errorf("first part lasts %v s, want 6 (a sample-exact cut)", d)
	}
	until(t, ctx, "the second part to play for a second", `(() => { const x = document.getElementById('audio'); return x.currentSrc.includes(B) && x.currentTime > 1 })()`)
	g := eval[map[string]float64](t, ctx, `gap()`)
	t.Logf("gap between the tracks: %.1f ms (first ended at %.1f ms, second started at %.1f ms; 'ended' seen at %.1f ms, second seen moving at %.1f ms)",
		g["gap"], g["endA"], g["startB"], g["endedAt"], g["movingAt"])
	if g["endA"] == 0 || g["startB"] == 0 {
		t.Fatalf("the sampler missed an end: %v", g)
	}
	if g["gap"] > 100 || g["gap"] < -50 {
		t.Errorf("gap = %.1f ms, want within -50…100 ms", g["gap"])
	}
}

// TestBrowserGaplessStrictAutoplay plays the two parts under an autoplay
// policy like iOS Safari's, emulated in the page: an element may start
// only if it was first started during a user gesture. The preloaded
// element was not, so the page must fall back to the element that was
// and still play the second part without a tap.
func TestBrowserGaplessStrictAutoplay(t *testing.T) {
	src, err := player.OpenFolder(gaplessLibrary(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.NewLibrary()
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	a := player.TrackID("Gapless Artist/Gapless Album/01 Part One.flac")
	b := player.TrackID("Gapless Artist/Gapless Album/02 Part Two.flac")

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx,
		playerInitScript(`window.refused = 0; { const play = HTMLMediaElement.prototype.play;
			HTMLMediaElement.prototype.play = function () {
				if (navigator.userActivation.isActive) this.unlocked = true;
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
