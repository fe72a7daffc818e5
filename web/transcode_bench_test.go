package web

import (
	"net/http/httptest"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/transcode"
)

// BenchmarkTranscodeToPlaying times, in Chromium on loopback, a tap on a
// 10-minute ALAC track (which Chromium cannot decode) to its `playing`
// event, and a seek to 80 % to the element playing past that point, for
// the WAV transcode (Original) and the MP3 one (Data saver), with an empty
// transcode cache (served live from ffmpeg) and a warm one (served from
// the cached file). Reports ms/tap and ms/seek.
//
//	go test ./web -run '^$' -bench TranscodeToPlaying -benchtime 5x
func BenchmarkTranscodeToPlaying(b *testing.B) {
	playertest.NeedsFFmpeg(b)
	dir := b.TempDir()
	playertest.Generate(b, dir, playertest.Spec{Path: "A/long.m4a", Kind: playertest.ALAC, Seconds: 600})
	lib := folderLibrary(b, dir)
	tr, _ := lib.Track(player.TrackID("A/long.m4a"))
	for _, q := range []string{"original", "saver"} {
		for _, warm := range []bool{false, true} {
			name := q + "/cold"
			if warm {
				name = q + "/warm"
			}
			b.Run(name, func(b *testing.B) {
				opts := Options{}
				if warm {
					cache, err := transcode.OpenDiskCache(b.TempDir(), 0)
					if err != nil {
						b.Fatal(err)
					}
					opts.TranscodeCache = cache
				}
				s := New(lib, opts)
				srv := httptest.NewServer(s.Handler())
				b.Cleanup(srv.Close) // after the browser's cleanup, which closes its connections
				ctx := newBrowser(b)
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"),
					chromedp.WaitVisible(`[data-track-id="`+tr.ID+`"]`)); err != nil {
					b.Fatal(err)
				}
				eval[any](b, ctx, `localStorage.setItem('earshot.quality', '`+q+`')`)
				if warm { // one play fills the cache
					if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-track-id="`+tr.ID+`"]`), chromedp.Click(`[data-track-id="`+tr.ID+`"]`)); err != nil {
						b.Fatal(err)
					}
					until(b, ctx, "the first play", `!document.getElementById('audio').paused && document.getElementById('audio').currentTime > 0`)
					s.fills.wait()
					if opts.TranscodeCache.Size() == 0 {
						b.Fatal("the cache was not filled")
					}
				}
				var tap, seek float64
				for b.Loop() {
					// A fresh page with nothing to resume: the tap loads the track.
					eval[any](b, ctx, `(() => { document.getElementById('audio').pause(); localStorage.removeItem('earshot.queue'); localStorage.removeItem('earshot.playstate'); })()`)
					if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`[data-track-id="`+tr.ID+`"]`)); err != nil {
						b.Fatal(err)
					}
					tap += awaitEval[float64](b, ctx, tapToPlayingJS(tr.ID))
					seek += awaitEval[float64](b, ctx, seekToPlayingJS(tr.Duration*0.8))
				}
				b.ReportMetric(tap/float64(b.N), "ms/tap")
				b.ReportMetric(seek/float64(b.N), "ms/seek")
				if d := eval[string](b, ctx, `document.getElementById('np-detail').textContent`); d == "" {
					b.Errorf("no transcode detail shown")
				}
			})
		}
	}
	os.RemoveAll(dir)
}
