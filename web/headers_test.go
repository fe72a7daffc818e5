package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// securityHeaderValues are the headers every response must carry.
var securityHeaderValues = map[string]string{
	"Content-Security-Policy": contentSecurityPolicy,
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"X-Frame-Options":         "DENY",
}

// checkSecurityHeaders reports each security header of h that is missing
// or wrong, naming the request in what.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range securityHeaderValues {
		if got := h.Values(k); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
}

// TestSecurityHeaders sends requests that reach every kind of answer —
// page and static files, JSON, audio, cover, redirects, 304, and the 401,
// 404, 405 and 416 errors — and checks that each carries the headers.
func TestSecurityHeaders(t *testing.T) {
	lib := testLibrary(t, apiFS())
	s := New(lib, Options{})
	h := s.Handler()
	id := lib.Tracks()[0].ID
	stream := "/api/tracks/" + id + "/stream"
	const lan = "192.0.2.7:50000" // a device on the LAN, with no key
	tests := []struct {
		method, target, remote string
		header                 http.Header
		code                   int
	}{
		{"GET", "/", "", nil, 200},
		{"GET", "/app.js", "", nil, 200},
		{"GET", "/style.css", "", nil, 200},
		{"GET", "/icon.svg", "", nil, 200},
		{"GET", "/missing.js", "", nil, 404},
		{"GET", "/a/../index.html", "", nil, 307},
		{"POST", "/", "", nil, 405},
		{"GET", "/api/status", "", nil, 200},
		{"GET", "/api/tracks/" + id, "", nil, 200},
		{"GET", "/api/tracks/nope", "", nil, 404},
		{"GET", "/api/nothing", "", nil, 404},
		{"DELETE", stream, "", nil, 405},
		{"GET", stream, "", nil, 200},
		{"HEAD", stream, "", nil, 200},
		{"GET", stream, "", http.Header{"Range": {"bytes=0-1"}}, 206},
		{"GET", stream, "", http.Header{"Range": {"bytes=0-1,4-5"}}, 206},
		{"GET", stream, "", http.Header{"Range": {"bytes=99999999-"}}, 416},
		{"GET", "/api/tracks/" + id + "/cover", "", nil, 200},
		{"GET", "/api/tracks/nope/cover", "", nil, 404},
		{"GET", "/api/tracks", lan, nil, 401},
		{"GET", "/", lan, nil, 401},
		{"GET", stream, lan, nil, 401},
		{"GET", "/pair?key=wrong", lan, nil, 401},
		{"GET", "/pair?key=" + url.QueryEscape(s.Key()), "192.0.2.8:50000", nil, 303},
	}
	etag := do(h, "GET", stream, nil).Header().Get("ETag")
	tests = append(tests, struct {
		method, target, remote string
		header                 http.Header
		code                   int
	}{"GET", stream, "", http.Header{"If-None-Match": {etag}}, 304})
	for _, tc := range tests {
		req := httptest.NewRequest(tc.method, tc.target, nil)
		req.RemoteAddr = "127.0.0.1:50000"
		req.Host = "localhost"
		if tc.remote != "" {
			req.RemoteAddr = tc.remote
		}
		for k, v := range tc.header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		what := tc.method + " " + tc.target + " from " + req.RemoteAddr
		if rec.Code != tc.code {
			t.Errorf("%s: status %d, want %d", what, rec.Code, tc.code)
		}
		checkSecurityHeaders(t, what, rec.Header())
	}
}

// TestBrowserCSP plays a track in Chromium under the real policy and checks
// that the page triggers no CSP violation, and, as a control, that an
// injected inline script is blocked and reported.
func TestBrowserCSP(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	tr := rs.trackByPath(t, realTracks[0].spec.Path)
	// Runs before the page's own script in every document, and is exempt
	// from the CSP because DevTools injects it.
	const record = `window.__csp = []; document.addEventListener('securitypolicyviolation',
		e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));`
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: record})
			return err
		}),
		chromedp.Navigate(rs.URL+"/"),
		chromedp.WaitVisible(`[data-track-id]`),
		chromedp.Click(`[data-track-id="`+tr.ID+`"]`),
	); err != nil {
		t.Fatalf("open page and play: %v", err)
	}
	until(t, ctx, "the track to play with its cover", `document.getElementById('audio').currentTime > 0.5 &&
		document.getElementById('np-cover').complete && document.getElementById('np-cover').naturalWidth > 0`)
	if v := eval[[]string](t, ctx, `window.__csp`); len(v) != 0 {
		t.Errorf("the page broke its own CSP: %q", v)
	}

	// Control: inline script must be blocked, and the listener must see it.
	eval[bool](t, ctx, `(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = true';
		document.head.append(s); return true })()`)
	pollCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pollCtx, chromedp.Poll[bool](`window.__csp.length > 0`, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		t.Errorf("an injected inline script raised no CSP violation: %v", err)
	}
	if eval[bool](t, ctx, `window.__inline === true`) {
		t.Error("an injected inline script ran despite the CSP")
	}
}
