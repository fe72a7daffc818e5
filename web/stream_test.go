package web

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// span is a half-open byte range [start, end) of the file.
type span struct{ start, end int }

// rangeCase is one request to the stream handler and what must come back.
type rangeCase struct {
	name   string
	method string
	header http.Header
	code   int
	ranges []span // for 206: the parts, in order
	cr     string // for 416: the Content-Range
}

// rangeCases returns the table for a file of length n with entity tag etag.
// The first group is the standard library's ServeFileRangeTests, rewritten
// from its 11-byte file to n bytes; then nginx's range tests; then the
// RFC 9110 gaps our guard closes; then browser probes and conditionals.
func rangeCases(n int, etag, lastModified string) []rangeCase {
	r := func(v string) http.Header { return http.Header{"Range": {v}} }
	f := fmt.Sprintf
	return []rangeCase{
		// net/http ServeFileRangeTests (testFileLen 11 → n).
		{name: "go/none", code: 200},
		{name: "go/0-4", header: r("bytes=0-4"), code: 206, ranges: []span{{0, 5}}},
		{name: "go/2-", header: r("bytes=2-"), code: 206, ranges: []span{{2, n}}},
		{name: "go/-5", header: r("bytes=-5"), code: 206, ranges: []span{{n - 5, n}}},
		{name: "go/3-7", header: r("bytes=3-7"), code: 206, ranges: []span{{3, 8}}},
		{name: "go/0-0,-2", header: r("bytes=0-0,-2"), code: 206, ranges: []span{{0, 1}, {n - 2, n}}},
		{name: "go/0-1,5-8", header: r("bytes=0-1,5-8"), code: 206, ranges: []span{{0, 2}, {5, 9}}},
		{name: "go/0-1,5-", header: r("bytes=0-1,5-"), code: 206, ranges: []span{{0, 2}, {5, n}}},
		{name: "go/5-past-end", header: r(f("bytes=5-%d", n+989)), code: 206, ranges: []span{{5, n}}},
		{name: "go/wasteful", header: r("bytes=0-,1-,2-,3-,4-"), code: 200},
		{name: "go/0-len-2", header: r(f("bytes=0-%d", n-2)), code: 206, ranges: []span{{0, n - 1}}},
		{name: "go/0-len-1", header: r(f("bytes=0-%d", n-1)), code: 206, ranges: []span{{0, n}}},
		{name: "go/0-len", header: r(f("bytes=0-%d", n)), code: 206, ranges: []span{{0, n}}},
		{name: "go/last-past", header: r(f("bytes=%d-%d", n-1, n)), code: 206, ranges: []span{{n - 1, n}}},
		{name: "go/last-open", header: r(f("bytes=%d-", n-1)), code: 206, ranges: []span{{n - 1, n}}},
		{name: "go/len-", header: r(f("bytes=%d-", n)), code: 416, cr: f("bytes */%d", n)},
		{name: "go/len-len+1", header: r(f("bytes=%d-%d", n, n+1)), code: 416, cr: f("bytes */%d", n)},
		{name: "go/len+1", header: r(f("bytes=%d-%d", n+1, n+1)), code: 416, cr: f("bytes */%d", n)},
		{name: "go/len-far", header: r(f("bytes=%d-%d", n, n+89)), code: 416, cr: f("bytes */%d", n)},
		{name: "go/far-", header: r(f("bytes=%d-", n+89)), code: 416, cr: f("bytes */%d", n)},

		// nginx range tests (t/range.t): single, suffix, open, multi, unsatisfiable, invalid.
		{name: "nginx/single", header: r("bytes=0-9"), code: 206, ranges: []span{{0, 10}}},
		{name: "nginx/suffix", header: r("bytes=-10"), code: 206, ranges: []span{{n - 10, n}}},
		{name: "nginx/open", header: r("bytes=10-"), code: 206, ranges: []span{{10, n}}},
		{name: "nginx/multi", header: r("bytes=0-9,20-29,-5"), code: 206, ranges: []span{{0, 10}, {20, 30}, {n - 5, n}}},
		{name: "nginx/unsatisfiable", header: r(f("bytes=%d-%d", n+10, n+20)), code: 416, cr: f("bytes */%d", n)},
		{name: "nginx/invalid-letters", header: r("bytes=abc"), code: 200},
		{name: "nginx/invalid-reversed", header: r("bytes=10-5"), code: 200},
		{name: "nginx/invalid-no-dash", header: r("bytes=10"), code: 200},
		{name: "nginx/invalid-double-dash", header: r("bytes=--1"), code: 200},
		{name: "nginx/invalid-empty", header: r("bytes="), code: 200},
		{name: "nginx/invalid-negative", header: r("bytes=-1-5"), code: 200},

		// RFC 9110 gaps in ServeContent that fixRange closes.
		{name: "rfc/unknown-unit", header: r("items=0-1"), code: 200},
		{name: "rfc/unit-case", header: r("Bytes=0-1"), code: 206, ranges: []span{{0, 2}}},
		{name: "rfc/unit-spaces", header: r("bytes = 0-1"), code: 206, ranges: []span{{0, 2}}},
		{name: "rfc/suffix-zero", header: r("bytes=-0"), code: 416, cr: f("bytes */%d", n)},
		{name: "rfc/suffix-zero-with-other", header: r("bytes=-0,0-1"), code: 206, ranges: []span{{0, 2}}},
		{name: "rfc/empty-elements", header: r("bytes=0-1,,"), code: 206, ranges: []span{{0, 2}}},
		{name: "rfc/too-many-ranges", header: r(tinyRanges(maxRanges + 1)), code: 200},
		{name: "rfc/many-ranges-allowed", header: r(tinyRanges(maxRanges)), code: 206, ranges: tinySpans(maxRanges)},
		{name: "rfc/two-range-fields", header: http.Header{"Range": {"bytes=0-1", "bytes=2-3"}}, code: 200},
		{name: "rfc/huge-number", header: r("bytes=99999999999999999999-"), code: 200},

		// Browser probes.
		{name: "safari/probe", header: r("bytes=0-1"), code: 206, ranges: []span{{0, 2}}},
		{name: "chrome/open", header: r("bytes=0-"), code: 206, ranges: []span{{0, n}}},

		// Conditionals (RFC 9110 §13).
		{name: "if-range/current-etag", header: http.Header{"Range": {"bytes=0-1"}, "If-Range": {etag}}, code: 206, ranges: []span{{0, 2}}},
		{name: "if-range/stale-etag", header: http.Header{"Range": {"bytes=0-1"}, "If-Range": {`"stale"`}}, code: 200},
		{name: "if-range/weak-etag", header: http.Header{"Range": {"bytes=0-1"}, "If-Range": {"W/" + etag}}, code: 200},
		{name: "if-range/date", header: http.Header{"Range": {"bytes=0-1"}, "If-Range": {lastModified}}, code: 206, ranges: []span{{0, 2}}},
		{name: "if-range/suffix-zero-stale", header: http.Header{"Range": {"bytes=-0"}, "If-Range": {`"stale"`}}, code: 200},
		{name: "if-none-match", header: http.Header{"If-None-Match": {etag}}, code: 304},
		{name: "if-none-match/other", header: http.Header{"If-None-Match": {`"other"`}}, code: 200},
		{name: "if-modified-since", header: http.Header{"If-Modified-Since": {lastModified}}, code: 304},
		{name: "if-match/fails", header: http.Header{"If-Match": {`"other"`}}, code: 412},
		{name: "head", method: "HEAD", code: 200},
		{name: "head/range", method: "HEAD", header: r("bytes=0-1"), code: 206, ranges: []span{{0, 2}}},
	}
}

// tinyRanges returns a header of k one-byte ranges at even offsets.
func tinyRanges(k int) string {
	parts := make([]string, k)
	for i := range parts {
		parts[i] = fmt.Sprintf("%d-%d", 2*i, 2*i)
	}
	return "bytes=" + strings.Join(parts, ",")
}

func tinySpans(k int) []span {
	s := make([]span, k)
	for i := range s {
		s[i] = span{2 * i, 2*i + 1}
	}
	return s
}

func TestStreamRanges(t *testing.T) {
	lib, data, track, _ := wavLibrary(t)
	h := New(lib, Options{}).Handler()
	url := "/api/tracks/" + track.ID + "/stream"
	first := do(h, "GET", url, nil)
	etag, lastModified := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if etag == "" || strings.HasPrefix(etag, "W/") || lastModified == "" {
		t.Fatalf("ETag %q, Last-Modified %q: want a strong ETag and a date", etag, lastModified)
	}
	n := len(data)
	for _, tc := range rangeCases(n, etag, lastModified) {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = "GET"
			}
			rec := do(h, method, url, tc.header)
			if rec.Code != tc.code {
				t.Fatalf("%s Range %q: status %d, want %d (body %.80q)", method, tc.header.Values("Range"), rec.Code, tc.code, rec.Body)
			}
			if method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD sent %d body bytes", rec.Body.Len())
			}
			switch tc.code {
			case 200:
				checkHeaders(t, rec.Header(), "audio/wav", etag)
				if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(n) {
					t.Errorf("Content-Length = %q, want %d", cl, n)
				}
				if method == "GET" && !bytes.Equal(rec.Body.Bytes(), data) {
					t.Errorf("body differs from the file (%d bytes, want %d)", rec.Body.Len(), n)
				}
			case 206:
				checkHeaders(t, rec.Header(), "", etag)
				checkParts(t, rec.Header(), rec.Body.Bytes(), data, "audio/wav", tc.ranges, method == "HEAD")
			case 416:
				if got := rec.Header().Get("Content-Range"); got != tc.cr {
					t.Errorf("Content-Range = %q, want %q", got, tc.cr)
				}
				if msg := jsonError(t, rec); msg != "range not satisfiable" {
					t.Errorf("error = %q", msg)
				}
			}
		})
	}
}

// checkHeaders checks what every successful stream response carries.
func checkHeaders(t *testing.T, h http.Header, contentType, etag string) {
	t.Helper()
	if contentType != "" && h.Get("Content-Type") != contentType {
		t.Errorf("Content-Type = %q, want %q", h.Get("Content-Type"), contentType)
	}
	if h.Get("ETag") != etag {
		t.Errorf("ETag = %q, want %q", h.Get("ETag"), etag)
	}
	if h.Get("Accept-Ranges") != "bytes" {
		t.Errorf("Accept-Ranges = %q", h.Get("Accept-Ranges"))
	}
	if h.Get("Content-Encoding") != "" {
		t.Errorf("audio was sent with Content-Encoding %q", h.Get("Content-Encoding"))
	}
}

// checkParts checks a 206 answer against the wanted spans of data: a single
// part with Content-Range, or multipart/byteranges with one part per span.
func checkParts(t *testing.T, h http.Header, body, data []byte, partType string, want []span, head bool) {
	t.Helper()
	n := len(data)
	if len(want) == 1 {
		s := want[0]
		if cr := h.Get("Content-Range"); cr != fmt.Sprintf("bytes %d-%d/%d", s.start, s.end-1, n) {
			t.Errorf("Content-Range = %q, want bytes %d-%d/%d", cr, s.start, s.end-1, n)
		}
		if cl := h.Get("Content-Length"); cl != strconv.Itoa(s.end-s.start) {
			t.Errorf("Content-Length = %q, want %d", cl, s.end-s.start)
		}
		if !head && !bytes.Equal(body, data[s.start:s.end]) {
			t.Errorf("body is %d bytes, want bytes %d-%d of the file", len(body), s.start, s.end-1)
		}
		return
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("Content-Type = %q, want multipart/byteranges", h.Get("Content-Type"))
	}
	if head {
		return
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for i, s := range want {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if ct := part.Header.Get("Content-Type"); ct != partType {
			t.Errorf("part %d Content-Type = %q", i, ct)
		}
		if cr := part.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes %d-%d/%d", s.start, s.end-1, n) {
			t.Errorf("part %d Content-Range = %q", i, cr)
		}
		got, _ := io.ReadAll(part)
		if !bytes.Equal(got, data[s.start:s.end]) {
			t.Errorf("part %d body differs", i)
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("more parts than the %d wanted (%v)", len(want), err)
	}
}

func TestStreamErrors(t *testing.T) {
	lib, _, track, fsys := wavLibrary(t)
	h := New(lib, Options{}).Handler()
	stream := "/api/tracks/" + track.ID + "/stream"
	tests := []struct {
		name, method, target string
		code                 int
		msg                  string
	}{
		{"unknown id", "GET", "/api/tracks/nope/stream", 404, "track not found"},
		{"post", "POST", stream, 405, "method not allowed"},
		{"put", "PUT", stream, 405, "method not allowed"},
		{"delete", "DELETE", stream, 405, "method not allowed"},
		{"traversal dots", "GET", "/api/tracks/..%2f..%2f..%2fetc%2fpasswd/stream", 404, "track not found"},
		{"traversal encoded dots", "GET", "/api/tracks/%2e%2e/stream", 404, "track not found"},
		{"traversal backslash", "GET", `/api/tracks/..%5c..%5cwin.ini/stream`, 404, "track not found"},
		{"absolute path", "GET", "/api/tracks/%2fetc%2fpasswd/stream", 404, "track not found"},
		{"nul", "GET", "/api/tracks/abc%00/stream", 404, "track not found"},
		{"path as id", "GET", "/api/tracks/" + "Artist%2fAlbum%2fsong.wav" + "/stream", 404, "track not found"},
		{"unknown api", "GET", "/api/nothing", 404, "not found"},
		{"cover missing", "GET", "/api/tracks/" + track.ID + "/cover", 404, "no cover art"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, tc.method, tc.target, nil)
			if rec.Code != tc.code {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.target, rec.Code, tc.code)
			}
			if msg := jsonError(t, rec); msg != tc.msg {
				t.Errorf("%s %s: error %q, want %q", tc.method, tc.target, msg, tc.msg)
			}
			if tc.code == 405 && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", rec.Header().Get("Allow"))
			}
		})
	}

	t.Run("file gone since scan", func(t *testing.T) {
		delete(fsys, track.Path)
		rec := do(h, "GET", stream, nil)
		if rec.Code != 404 {
			t.Fatalf("status %d, want 404", rec.Code)
		}
		if msg := jsonError(t, rec); msg != "file not found" {
			t.Errorf("error %q, want %q", msg, "file not found")
		}
	})
}
