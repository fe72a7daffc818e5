package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBackForwardCache navigates one tab from page to page of the
// player many times, as following links and pairing URLs does. Pages the
// browser keeps in its back/forward cache must close their event stream:
// Chromium allows 6 connections per server, and before the fix the sixth
// page found them all held by cached pages and never loaded its songs.
// Going back to a cached page opens its stream again.
func TestBrowserBackForwardCache(t *testing.T) {
	lib, _, tr, _ := wavLibrary(t)
	h := New(lib, Options{}).Handler()
	var streams, opened atomic.Int32 // /api/events handlers running; started in all
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/events" {
			opened.Add(1)
			streams.Add(1)
			defer streams.Add(-1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	// openStreams waits until exactly want event streams are open.
	openStreams := func(want int32, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for streams.Load() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d event streams open, want %d", what, streams.Load(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	ctx := newBrowser(t)
	for i := range 10 {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/?visit=%d#/", srv.URL, i)),
			chromedp.WaitVisible(`#view [data-track-id="`+tr.ID+`"]`),
		); err != nil {
			t.Fatalf("visit %d: the songs did not load: %v (event streams open: %d)", i, err, streams.Load())
		}
		openStreams(1, fmt.Sprintf("visit %d", i))
	}
	// Back to the cached page (it fires no load event, so by script): the
	// page left closes its stream and the restored one opens its own again.
	before := opened.Load()
	eval[any](t, ctx, `history.back()`)
	deadline := time.Now().Add(10 * time.Second)
	for opened.Load() != before+1 || streams.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("after going back: %d streams opened, %d open; want 1 more opened and 1 open", opened.Load()-before, streams.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
