package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gunzip decodes a gzip body, failing t when it is not one.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return out
}

// TestCompress asks for each kind of answer with and without gzip in
// Accept-Encoding: text (page, JSON) must come gzipped when accepted, and
// decode to the very bytes of the plain answer; audio and covers never.
func TestCompress(t *testing.T) {
	lib := testLibrary(t, apiFS())
	h := New(lib, Options{}).Handler()
	id := lib.Tracks()[0].ID
	stream, cover := "/api/tracks/"+id+"/stream", "/api/tracks/"+id+"/cover"
	tests := []struct {
		target, accept, want string // want: the Content-Encoding
		vary                 bool
	}{
		{"/", "gzip, deflate, br", "gzip", true},
		{"/", "", "", true},
		{"/", "gzip;q=0", "", true},
		{"/", "br", "", true},
		{"/", "*", "gzip", true},
		{"/app.js", "gzip", "gzip", true},
		{"/style.css", "GZIP;q=0.5", "gzip", true},
		{"/icon.svg", "gzip", "gzip", true},
		{"/manifest.webmanifest", "gzip", "gzip", true},
		{"/sw.js", "gzip", "gzip", true},
		{"/icons/icon-192.png", "gzip", "", false},
		{"/api/tracks", "gzip", "gzip", true},
		{"/api/tracks", "identity", "", true},
		{"/api/status", "gzip", "gzip", true},
		{"/api/albums", "gzip", "gzip", true},
		{"/api/search?q=clos", "gzip", "gzip", true},
		{"/api/tracks/" + id, "gzip", "gzip", true},
		{"/api/tracks/nope", "gzip", "gzip", true}, // a JSON error
		{stream, "gzip", "", false},
		{cover, "gzip", "", false},
		{cover + "?size=96", "gzip", "", false},
	}
	for _, tc := range tests {
		plain := do(h, "GET", tc.target, nil)
		rec := do(h, "GET", tc.target, http.Header{"Accept-Encoding": {tc.accept}})
		name := "GET " + tc.target + " (Accept-Encoding: " + tc.accept + ")"
		if rec.Code != plain.Code {
			t.Errorf("%s: status %d, plain %d", name, rec.Code, plain.Code)
			continue
		}
		if got := rec.Header().Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s: Content-Encoding %q, want %q", name, got, tc.want)
			continue
		}
		if got := strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Accept-Encoding"); got != tc.vary {
			t.Errorf("%s: Vary %q, want Accept-Encoding: %v", name, rec.Header().Values("Vary"), tc.vary)
		}
		body := rec.Body.Bytes()
		if tc.want == "gzip" {
			if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
				t.Errorf("%s: Content-Length %s for a %d-byte body", name, cl, len(body))
			}
			body = gunzip(t, body)
		}
		if !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("%s: body (%d bytes decoded) differs from the plain answer (%d bytes)", name, len(body), plain.Body.Len())
		}
		if ct, pct := rec.Header().Get("Content-Type"), plain.Header().Get("Content-Type"); ct != pct {
			t.Errorf("%s: Content-Type %q, plain %q", name, ct, pct)
		}
	}
}

// TestCompressLeavesStreamsAlone checks that Range requests, HEAD and
// revalidation of audio streams answer as without compression: byte-exact,
// with no Content-Encoding, even when the client accepts gzip.
func TestCompressLeavesStreamsAlone(t *testing.T) {
	lib, data, tr, _ := wavLibrary(t)
	h := New(lib, Options{}).Handler()
	stream := "/api/tracks/" + tr.ID + "/stream"
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	etag := do(h, "GET", stream, gz).Header().Get("ETag")
	tests := []struct {
		method string
		header http.Header
		code   int
		body   []byte
	}{
		{"GET", nil, 200, data},
		{"GET", http.Header{"Range": {"bytes=100-199"}}, 206, data[100:200]},
		{"GET", http.Header{"Range": {"bytes=-10"}}, 206, data[len(data)-10:]},
		{"GET", http.Header{"Range": {"bytes=0-0"}, "If-Range": {etag}}, 206, data[:1]},
		{"HEAD", nil, 200, nil},
		{"GET", http.Header{"If-None-Match": {etag}}, 304, nil},
	}
	for _, tc := range tests {
		hdr := http.Header{"Accept-Encoding": {"gzip, br"}}
		for k, v := range tc.header {
			hdr[k] = v
		}
		rec := do(h, tc.method, stream, hdr)
		name := tc.method + " " + stream + " " + strings.Join(tc.header.Values("Range"), "")
		if rec.Code != tc.code {
			t.Errorf("%s: status %d, want %d", name, rec.Code, tc.code)
		}
		if ce := rec.Header().Get("Content-Encoding"); ce != "" {
			t.Errorf("%s: Content-Encoding %q on audio", name, ce)
		}
		if !bytes.Equal(rec.Body.Bytes(), tc.body) && !(len(tc.body) == 0 && rec.Body.Len() == 0) {
			t.Errorf("%s: body of %d bytes, want %d exact bytes", name, rec.Body.Len(), len(tc.body))
		}
		if tc.method == "HEAD" && rec.Header().Get("Content-Length") != strconv.Itoa(len(data)) {
			t.Errorf("%s: Content-Length %q, want %d", name, rec.Header().Get("Content-Length"), len(data))
		}
	}
}

// TestCompressStatic checks the precompressed page files: each variant has
// its own strong ETag, revalidates with 304, answers HEAD with its own
// length, and the plain variant keeps working for clients without gzip.
func TestCompressStatic(t *testing.T) {
	h := New(testLibrary(t, apiFS()), Options{}).Handler()
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	for _, target := range []string{"/", "/app.js", "/style.css", "/manifest.webmanifest"} {
		plain, zipped := do(h, "GET", target, nil), do(h, "GET", target, gz)
		pt, zt := plain.Header().Get("ETag"), zipped.Header().Get("ETag")
		if pt == "" || zt == "" || pt == zt || strings.HasPrefix(pt, "W/") {
			t.Errorf("GET %s: ETags plain %q, gzip %q; want two different strong tags", target, pt, zt)
		}
		if cc := zipped.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, cc)
		}
		for _, c := range []struct {
			accept, tag string
			code        int
		}{{"gzip", zt, 304}, {"", pt, 304}, {"gzip", pt, 200}, {"", zt, 200}} {
			rec := do(h, "GET", target, http.Header{"Accept-Encoding": {c.accept}, "If-None-Match": {c.tag}})
			if rec.Code != c.code {
				t.Errorf("GET %s (Accept-Encoding %q, If-None-Match %s): status %d, want %d", target, c.accept, c.tag, rec.Code, c.code)
			}
		}
		// http.ServeContent leaves Content-Length out of an encoded answer.
		head := do(h, "HEAD", target, gz)
		if cl := head.Header().Get("Content-Length"); head.Code != 200 || head.Body.Len() != 0 ||
			head.Header().Get("Content-Encoding") != "gzip" || head.Header().Get("ETag") != zt || (cl != "" && cl != strconv.Itoa(zipped.Body.Len())) {
			t.Errorf("HEAD %s: %d, %d body bytes, Content-Encoding %q, ETag %q, Content-Length %q; want 200, none, gzip, %s, %d",
				target, head.Code, head.Body.Len(), head.Header().Get("Content-Encoding"), head.Header().Get("ETag"), cl, zt, zipped.Body.Len())
		}
		if zipped.Body.Len() >= plain.Body.Len() {
			t.Errorf("GET %s: gzip body %d bytes, plain %d: not smaller", target, zipped.Body.Len(), plain.Body.Len())
		}
	}
	if rec := do(h, "GET", "/index.html", gz); rec.Code != http.StatusMovedPermanently {
		t.Errorf("GET /index.html: status %d, want the redirect to /", rec.Code)
	}
}

// TestCompressEventsAndFlush checks over a real connection that the event
// stream is not compressed (its first event arrives at once), and that the
// gzipped /api/tracks decodes to a whole JSON answer.
func TestCompressEventsAndFlush(t *testing.T) {
	lib := testLibrary(t, apiFS())
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/events", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("/api/events: Content-Encoding %q, want none", ce)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line == "" {
		t.Errorf("/api/events: first line %q, %v", line, err)
	}
	resp.Body.Close()

	req, _ = http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/tracks", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("/api/tracks: Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	if body := string(gunzip(t, raw)); !strings.HasPrefix(body, `{"tracks":[`) || !strings.HasSuffix(body, "]}\n") {
		t.Errorf("/api/tracks decoded to %.60q…, not a whole answer", body)
	}
}

// BenchmarkTracksGzip measures GET /api/tracks of the 50,000-track test
// library gzipped, as a phone on the LAN asks for it, and reports the
// answer's size on the wire against its plain size.
func BenchmarkTracksGzip(b *testing.B) {
	h := New(bigListLibrary(b, bigListTracks), Options{}).Handler()
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	plain := do(h, "GET", "/api/tracks", nil).Body.Len()
	var wire int
	b.ResetTimer()
	for b.Loop() {
		wire = do(h, "GET", "/api/tracks", gz).Body.Len()
	}
	b.ReportMetric(float64(plain), "plain-bytes")
	b.ReportMetric(float64(wire), "gzip-bytes")
}

// TestCompressFlush checks that a flush through [http.ResponseController]
// sends what a compressed answer wrote so far — the client decodes it
// while the handler still waits — and that a flush before the first write
// still sends a gzip header with the gzip body.
func TestCompressFlush(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		rc := http.NewResponseController(w)
		rc.Flush() // before any write: the headers go out, gzip decided
		w.Write([]byte(`{"a":1}`))
		rc.Flush()
		<-release
		w.Write([]byte(`{"b":2}`))
	})))
	t.Cleanup(srv.Close)
	defer close(release)
	req, _ := http.NewRequest("GET", srv.URL+"/api/x", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", ce)
	}
	got := make(chan string, 1)
	go func() {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			got <- err.Error()
			return
		}
		b := make([]byte, 7)
		_, err = io.ReadFull(zr, b)
		got <- string(b) + fmt.Sprint(err)
	}()
	select {
	case s := <-got:
		if s != `{"a":1}<nil>` {
			t.Errorf("first flushed chunk = %q, want {\"a\":1}", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the flushed chunk did not arrive while the handler waited")
	}
}

// TestAcceptsGzip reads Accept-Encoding headers (RFC 9110 §12.5.3).
func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		in   []string
		want bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZip"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"deflate, br"}, false},
		{[]string{"br", "gzip"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"identity"}, false},
		{[]string{"gzipped"}, false},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Accept-Encoding"] = tc.in
		if got := acceptsGzip(r); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
