package web

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// viewport is the size a page is opened at, in CSS pixels.
type viewport struct {
	name  string // "desktop" or "phone"
	w, h  int
	phone bool // mobile emulation with touch, where the engine has it
}

var (
	desktopSize = viewport{"desktop", 1280, 800, false}
	phoneSize   = viewport{"phone", 390, 844, true}
)

// tab is one open page of a browser engine, driven the same way in
// Chromium, Firefox and WebKit so that one test runs in all three.
type tab interface {
	// Eval evaluates a JavaScript expression in the page, awaits it when it
	// is a promise, and JSON-decodes its value into out (nil: ignored). The
	// expression runs through the automation protocol, so the page's CSP
	// does not apply to it.
	Eval(expr string, out any) error
	// Screenshot returns a PNG of the visible page.
	Screenshot() ([]byte, error)
}

// engine is one browser engine: it opens tabs at a size.
type engine struct {
	name string // "chromium", "firefox" or "webkit"
	// open opens url in a fresh tab (with fresh storage where the engine
	// allows it) at size vp; the tab is closed when t ends.
	open func(t testing.TB, url string, vp viewport) tab
	// stop ends the browser the engine shares between tests, if it
	// started one (nil: nothing shared). TestMain calls it (stopEngines).
	stop func()
}

// engines returns every engine the browser tests run in. Engines other
// than Chromium are registered by their own files (engineRegistry).
func engines(t testing.TB) []engine {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: not run with -short")
	}
	out := []engine{{name: "chromium", open: openChromium}}
	for _, e := range engineRegistry {
		out = append(out, e)
	}
	return out
}

// engineRegistry holds the engines besides Chromium, in the order they run.
// Each engine's file adds itself from an init function.
var engineRegistry []engine

// stopEngines ends the browsers the engines share between tests and the
// PulseAudio daemon they play into; TestMain calls it after the tests.
func stopEngines() {
	for _, e := range engineRegistry {
		if e.stop != nil {
			e.stop()
		}
	}
	stopPulse()
}

// chromiumTab is a tab of a Chromium started for it alone (newBrowser).
type chromiumTab struct{ ctx context.Context }

func openChromium(t testing.TB, url string, vp viewport) tab {
	t.Helper()
	ctx := newBrowser(t)
	emulate := chromedp.EmulateViewport(int64(vp.w), int64(vp.h))
	if vp.phone {
		emulate = chromedp.EmulateViewport(int64(vp.w), int64(vp.h), chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, emulate, chromedp.Navigate(url)); err != nil {
		t.Fatalf("chromium: open %s: %v", url, err)
	}
	return chromiumTab{ctx}
}

func (c chromiumTab) Eval(expr string, out any) error {
	raw, err := chromedp.Run(c.ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out == nil || len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func (c chromiumTab) Screenshot() ([]byte, error) {
	return chromedp.Run(c.ctx, chromedp.CaptureScreenshot())
}

// tabUntil polls a JavaScript predicate in tb every 50 ms until it holds,
// failing the test with what it waited for after d.
func tabUntil(t testing.TB, tb tab, d time.Duration, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(d)
	var lastErr error
	for {
		var ok bool
		lastErr = tb.Eval("!!("+expr+")", &ok)
		if lastErr == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var state string
			_ = tb.Eval(`(() => { const a = document.getElementById('audio'); return a ? JSON.stringify({src: a.currentSrc, t: a.currentTime, d: a.duration, paused: a.paused, err: a.error && a.error.code, ready: a.readyState}) : 'no audio' })()`, &state)
			t.Fatalf("waiting %s for %s (%s): %v; audio: %s", d, what, expr, lastErr, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tabEval evaluates expr in tb and returns its value, failing the test on
// an error.
func tabEval[T any](t testing.TB, tb tab, expr string) T {
	t.Helper()
	var v T
	if err := tb.Eval(expr, &v); err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
