package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"

	"github.com/chromedp/chromedp"
)

// TestHeadlessWithoutFFmpeg runs the real binary with a PATH that holds
// no ffmpeg or ffprobe (and none is next to the binary) over an album of
// MP3, FLAC, Ogg Vorbis, AAC, ALAC and WMA files, and plays it in
// Chromium (issue 11: "ffmpeg is optional at run time"): the server
// starts and lists the WMA file, which only ffmpeg reads, as needing
// ffmpeg (its row and /api/problems say so); the native files play and
// seek; a click on the ALAC track (Chromium decodes no ALAC, and there is
// nothing to transcode with) says in one line which track and "needs
// ffmpeg", and the music goes on with the album's next track; a click on
// the WMA track says the same of it.
func TestHeadlessWithoutFFmpeg(t *testing.T) {
	playertest.NeedsFFmpeg(t) // the fixtures are made with ffmpeg; the server runs without
	dir := t.TempDir()
	files := []struct {
		path string
		kind playertest.Kind
	}{
		{"Band/Album/01 MP3.mp3", playertest.MP3CBR},
		{"Band/Album/02 FLAC.flac", playertest.FLAC},
		{"Band/Album/03 Vorbis.ogg", playertest.Vorbis},
		{"Band/Album/04 AAC.m4a", playertest.AAC},
		{"Band/Album/05 ALAC.m4a", playertest.ALAC},
		{"Band/Album/06 WMA.wma", playertest.WMA},
		{"Band/Album/07 Last.mp3", playertest.MP3CBR},
	}
	var specs []playertest.Spec
	for i, f := range files {
		title := strings.TrimSuffix(filepath.Base(f.path)[3:], filepath.Ext(f.path))
		specs = append(specs, playertest.Spec{Path: f.path, Kind: f.kind, Seconds: 20,
			Tags: map[string]string{"title": title, "artist": "Band", "album": "Album", "track": strconv.Itoa(i+1) + "/7"}})
	}
	playertest.Generate(t, dir, specs...)

	h := startHeadless(t, []string{"PATH=" + t.TempDir()}, "-library", dir)
	if h.tracks != strconv.Itoa(len(files)) {
		t.Errorf("serving %s tracks, want %d (the WMA one listed as needing ffmpeg)", h.tracks, len(files))
	}
	var problems struct{ Problems []player.Problem }
	getJSON(t, h.url+"/api/problems", &problems)
	wma := player.TrackID(files[5].path)
	if len(problems.Problems) != 1 || problems.Problems[0].Path != files[5].path || problems.Problems[0].Reason != "needs ffmpeg" || problems.Problems[0].TrackID != wma {
		t.Errorf("/api/problems = %+v, want only %s: needs ffmpeg", problems.Problems, files[5].path)
	}

	ctx := newChromium(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(h.url+"/"),
		chromedp.WaitVisible(`[data-track-id="`+wma+`"]`)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if d := pageEval[string](t, ctx, `document.querySelector('[data-track-id="`+wma+`"] .d').textContent`); d != "needs ffmpeg" {
		t.Errorf("the WMA row says %q where its length goes, want \"needs ffmpeg\"", d)
	}
	// Every toast the page shows, in order.
	// (Each text set is a new text node: two toasts set between two
	// deliveries of the observer are both recorded.)
	pageEval[any](t, ctx, `window.toasts = []; new MutationObserver((rs) => { for (const r of rs) for (const n of r.addedNodes) toasts.push(n.textContent); })
	  .observe(document.getElementById('toast'), {childList: true})`)

	for _, f := range files[:4] {
		id := player.TrackID(f.path)
		pageEval[any](t, ctx, `document.querySelector('[data-track-id="`+id+`"]').click()`)
		pageUntil(t, ctx, f.path+" to play", playing(id, 0.3))
		pageEval[any](t, ctx, `document.getElementById('audio').currentTime = 16`)
		pageUntil(t, ctx, f.path+" to play on after a seek to 16 s", playing(id, 16.3))
		if d := pageEval[string](t, ctx, `document.getElementById('np-detail').textContent`); d != "" {
			t.Errorf("%s: #np-detail %q, want nothing (direct play)", f.path, d)
		}
	}

	// ALAC: Chromium can't decode it and there is no ffmpeg to transcode
	// it; the album's next track is the last one (the WMA file, untagged
	// as ffmpeg did not read it, is listed apart).
	alac := player.TrackID(files[4].path)
	pageEval[any](t, ctx, `document.querySelector('[data-track-id="`+alac+`"]').click()`)
	pageUntil(t, ctx, "the album's last track to play", playing(player.TrackID(files[6].path), 0.3))
	// WMA: listed, never tried.
	wmaTitle := pageEval[string](t, ctx, `document.querySelector('[data-track-id="`+wma+`"] .t').textContent`)
	pageEval[any](t, ctx, `document.querySelector('[data-track-id="`+wma+`"]').click()`)
	pageUntil(t, ctx, "a toast about the WMA track", `toasts.length >= 2`)
	toasts := pageEval[[]string](t, ctx, `toasts`)
	want := []string{"Skipped “ALAC”: needs ffmpeg to play ALAC here", "Skipped “" + wmaTitle + "”: needs ffmpeg"}
	if len(toasts) != len(want) {
		t.Errorf("toasts %q, want %q", toasts, want)
	}
	for i, w := range want {
		if i >= len(toasts) || toasts[i] != w {
			t.Errorf("toast %d: want %q, the toasts are %q", i, w, toasts)
		}
	}
	t.Logf("without ffmpeg: %d problems listed; toasts %q", len(problems.Problems), toasts)
}

// newChromium starts a headless Debian Chromium for t, with a fresh
// profile and autoplay allowed (as the web package's browser tests run
// it); it is ended when t ends, and bounded to 90 s.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Fatalf("chromium is not installed (make deps-test): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.NoSandbox, chromedp.NoFirstRun, chromedp.DisableGPU,
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()))
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 90*time.Second)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelCtx := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelTimeout() })
	return ctx
}

// playing is a page predicate: #audio plays track id past sec seconds.
func playing(id string, sec float64) string {
	return `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('/` + id + `/') && !a.paused && a.currentTime > ` +
		strconv.FormatFloat(sec, 'f', 2, 64) + ` })()`
}

// pageUntil polls a JavaScript predicate in the page every 50 ms until it
// holds, failing t with what it waited for after 20 s.
func pageUntil(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({src: document.getElementById('audio').currentSrc, t: document.getElementById('audio').currentTime,
		  err: document.getElementById('audio').error?.code, toasts: window.toasts})`))
		t.Fatalf("waiting for %s: %v; page: %s", what, err, state)
	}
}

// pageEval evaluates expr in the page (awaiting a promise) and returns its
// value, failing t on an error.
func pageEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
