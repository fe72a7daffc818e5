package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// noOgg makes the page's canPlayType answer "" for Ogg, as Safari on an
// old iPhone does.
const noOgg = `(() => { const f = HTMLMediaElement.prototype.canPlayType;
  HTMLMediaElement.prototype.canPlayType = function (t) { return /ogg/i.test(t) ? '' : f.call(this, t); }; })()`

// TestBrowserTranscodes plays, in Chromium, an ALAC track (which Chromium
// cannot decode: the server sends a WAV transcode) and, in a Chromium
// whose canPlayType says no to Ogg, Ogg Vorbis and Opus tracks: each
// plays, shows the transcode in the now-playing view, seeks to 80 % and
// keeps playing, with #seek's max the library's duration; and, with data
// saver chosen on the page, the ALAC track as a 128 kbit/s MP3 transcode.
func TestBrowserTranscodes(t *testing.T) {
	s, lib := tcServer(t, Options{})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, c := range []struct {
		name, script string
		paths        []string
		reasons      []string
	}{
		{"chromium", "", []string{"A/01 alac.m4a"}, []string{"transcoded ALAC → WAV"}},
		{"no-ogg", noOgg, []string{"A/03 vorbis.ogg", "A/04 opus.opus"}, []string{"transcoded Ogg Vorbis → WAV", "transcoded Opus → WAV"}},
		// Data saver, chosen on an earlier visit (kept in localStorage).
		{"saver", `localStorage.setItem('earshot.quality', 'saver')`, []string{"A/01 alac.m4a"}, []string{"data saver: ALAC → MP3 128 kbit/s"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := newBrowser(t)
			script := c.script
			if script == "" {
				script = "0"
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
					return err
				}),
				chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`[data-track-id]`)); err != nil {
				t.Fatalf("open page: %v", err)
			}
			if got := eval[string](t, ctx, `document.getElementById('quality').value`); (c.name == "saver") != (got == "saver") {
				t.Errorf("the quality select shows %q", got)
			}
			for i, p := range c.paths {
				tr, _ := lib.Track(tcID(p))
				if err := chromedp.Do(ctx, chromedp.Click(`[data-track-id="`+tr.ID+`"]`)); err != nil {
					t.Fatalf("click row: %v", err)
				}
				until(t, ctx, p+" to play", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('`+tr.ID+`') && !a.paused && a.currentTime > 0.5 })()`)
				until(t, ctx, "the transcode detail", `document.getElementById('np-detail').textContent === '`+c.reasons[i]+`'`)
				if max := eval[float64](t, ctx, `+document.getElementById('seek').max`); max < tr.Duration-0.05 || max > tr.Duration+0.05 {
					t.Errorf("#seek max = %.3f, library %.3f", max, tr.Duration)
				}
				target := tr.Duration * 0.8
				eval[float64](t, ctx, `document.getElementById('audio').currentTime = `+ftoa(target))
				until(t, ctx, "playback past 80 %", `document.getElementById('audio').currentTime > `+ftoa(target)+` && !document.getElementById('audio').seeking`)
				after := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
				until(t, ctx, "playback to advance after the seek", `document.getElementById('audio').currentTime > `+ftoa(after+0.5))
				if src := eval[string](t, ctx, `document.getElementById('audio').currentSrc`); !strings.Contains(src, "caps=") {
					t.Errorf("audio src %q carries no caps", src)
				}
			}
		})
	}
}
