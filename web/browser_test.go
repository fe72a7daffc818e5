package web

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// updateDocs rewrites the phone screenshots in docs/ (phone.png, albums.png,
// phone-*.png) from the browser tests that take them.
var updateDocs = flag.Bool("update-docs", false, "rewrite the phone screenshots in docs/")

// newBrowser starts Debian's headless Chromium with autoplay allowed and no
// background traffic, returning a chromedp context that ends with the test.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: not run with -short")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.DisableGPU,
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 90*time.Second)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelCtx := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelTimeout() })
	return ctx
}

// until waits, polling in the page, for a JavaScript predicate to hold; it
// fails the test with what it waited for when 20 s pass.
func until(t testing.TB, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.getElementById('audio'); return a ? JSON.stringify({src: a.currentSrc, t: a.currentTime, d: a.duration, paused: a.paused, err: a.error && a.error.code, ready: a.readyState}) : 'no audio' })()`))
		t.Fatalf("waiting for %s (%s): %v; audio: %s", what, expr, err, state)
	}
}

func eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// TestBrowser opens the page in Chromium, clicks a row of each format,
// checks that playback advances, seeks to 70 % and checks that currentTime
// is past that point and still advancing with a finite duration.
func TestBrowser(t *testing.T) {
	rs := newRealServer(t)
	t.Run("desktop", func(t *testing.T) {
		ctx := newBrowser(t)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(1280, 800),
			chromedp.Navigate(rs.URL+"/"),
			chromedp.WaitVisible(`[data-track-id]`),
		); err != nil {
			t.Fatalf("open page: %v", err)
		}
		for _, rt := range realTracks {
			t.Run(string(rt.spec.Kind), func(t *testing.T) {
				tr := rs.trackByPath(t, rt.spec.Path)
				if err := chromedp.Do(ctx, chromedp.Click(`[data-track-id="`+tr.ID+`"]`)); err != nil {
					t.Fatalf("click row: %v", err)
				}
				until(t, ctx, "the clicked track to play", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('`+tr.ID+`') && !a.paused && a.currentTime > 0.5 })()`)
				if !eval[bool](t, ctx, `isFinite(document.getElementById('audio').duration)`) {
					t.Fatal("audio.duration is not finite")
				}
				target := eval[float64](t, ctx, `(() => { const a = document.getElementById('audio'); a.currentTime = a.duration * 0.7; return a.duration * 0.7 })()`)
				until(t, ctx, "playback past 70 %", `document.getElementById('audio').currentTime > `+ftoa(target)+` && !document.getElementById('audio').seeking`)
				after := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
				until(t, ctx, "playback to advance after the seek", `document.getElementById('audio').currentTime > `+ftoa(after+0.5))
				d := eval[float64](t, ctx, `document.getElementById('audio').duration`)
				if d < tr.Duration-1 || d > tr.Duration+1 {
					t.Errorf("audio.duration = %.2f s, library says %.2f s", d, tr.Duration)
				}
			})
		}
		// The page made no request outside the server (it must work with no internet).
		resources := eval[[]string](t, ctx, `performance.getEntriesByType('resource').map(e => e.name).concat([location.href])`)
		for _, r := range resources {
			if !strings.HasPrefix(r, rs.URL+"/") {
				t.Errorf("page requested %s, outside the server", r)
			}
		}
	})

	t.Run("phone", func(t *testing.T) {
		ctx := newBrowser(t)
		tr := rs.trackByPath(t, realTracks[0].spec.Path)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
			chromedp.Navigate(rs.URL+"/"),
			chromedp.WaitVisible(`[data-track-id]`),
			chromedp.Click(`[data-track-id="`+tr.ID+`"]`),
		); err != nil {
			t.Fatalf("open page and tap a row: %v", err)
		}
		until(t, ctx, "the tapped track to play", `document.getElementById('audio').currentTime > 1`)
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("page is %d px wide on a 390 px screen: it scrolls sideways", w)
		}
		screenshot(t, ctx, "phone.png")
	})
}

// screenshot captures the page and writes it to docs/name with
// -update-docs, else to a temporary folder (the capture is still taken, so
// a page that cannot be captured fails the test either way).
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(t.TempDir(), name)
	if *updateDocs {
		out = filepath.Join("..", "docs", name)
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
