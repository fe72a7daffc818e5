package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// FuzzFixRange feeds fixRange any Range header and file size. It must not
// panic; its answer is "" or a "bytes=" set of digits, dashes and commas;
// and http.ServeContent, given that answer for a file of that size (up to
// 1 MiB), answers 200, 206 or 416 — never an error — with Content-Range
// and Content-Length that fit the size.
func FuzzFixRange(f *testing.F) {
	const n = 16044 // the length of wavLibrary's file
	for _, tc := range rangeCases(n, `"etag"`, "Wed, 01 May 2024 12:00:00 GMT") {
		for _, v := range tc.header.Values("Range") {
			f.Add(v, int64(n))
		}
	}
	for _, seed := range []struct {
		h    string
		size int64
	}{
		{"bytes=0-", 0}, {"bytes=-1", 0}, {"bytes=-0", 0}, {"bytes=0-0", 1}, {"bytes=-5", 3},
		{"bytes=1-1,0-0", 2}, {"bytes=0-1,1-2", 3}, {"bytes=9223372036854775807-", 10},
		{"bytes=0-9223372036854775807", 10}, {"bytes=-9223372036854775808", 10}, {"bytes=-9223372036854775807", 10},
		{"bytes= 1 - 2 ", 5}, {"bytes=1-2", -1}, {"bytes=,", 5}, {"bytes=-", 5}, {"=", 5}, {"", 5},
		{"bytes=0-0,-0,-0", 7}, {"bytes=\t0-1", 4}, {"bytes=0-1\x00", 4}, {"BYTES=0-1", 4},
	} {
		f.Add(seed.h, seed.size)
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		got := fixRange([]string{h}, size)
		checkFixed(t, h, size, got)

		// ServeContent on a reader of a bounded size.
		n := size % (1 << 20)
		if n < 0 {
			n = -n
		}
		fixed := fixRange([]string{h}, n)
		checkFixed(t, h, n, fixed)
		if fixed == "" {
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Range", fixed)
		rec := httptest.NewRecorder()
		http.ServeContent(rec, req, "", time.Time{}, bytes.NewReader(make([]byte, n)))
		checkRangeAnswer(t, fixed, n, rec)
	})
}

// checkFixed fails t when fixRange's answer got for header h and size has
// the wrong shape.
func checkFixed(t *testing.T, h string, size int64, got string) {
	t.Helper()
	if got == "" {
		return
	}
	set, ok := strings.CutPrefix(got, "bytes=")
	if !ok || set == "" || strings.Trim(set, "0123456789-,") != "" {
		t.Fatalf("fixRange(%q, %d) = %q, want \"\" or bytes= digits, dashes and commas", h, size, got)
	}
}

// checkRangeAnswer checks ServeContent's answer to Range: fixed for a body
// of n zero bytes.
func checkRangeAnswer(t *testing.T, fixed string, n int64, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	switch rec.Code {
	case http.StatusOK:
		if int64(len(body)) != n {
			t.Fatalf("Range %q, size %d: 200 with %d bytes", fixed, n, len(body))
		}
	case http.StatusRequestedRangeNotSatisfiable:
		if cr := rec.Header().Get("Content-Range"); cr != fmt.Sprintf("bytes */%d", n) {
			t.Fatalf("Range %q, size %d: 416 with Content-Range %q", fixed, n, cr)
		}
	case http.StatusPartialContent:
		mt, params, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		if mt != "multipart/byteranges" {
			checkContentRange(t, fixed, n, rec.Header().Get("Content-Range"), int64(len(body)))
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Fatalf("Range %q, size %d: Content-Length %q for %d bytes", fixed, n, cl, len(body))
			}
			return
		}
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Range %q, size %d: bad multipart body: %v", fixed, n, err)
			}
			b, _ := io.ReadAll(part)
			checkContentRange(t, fixed, n, part.Header.Get("Content-Range"), int64(len(b)))
		}
	default:
		t.Fatalf("Range %q, size %d: status %d, want 200, 206 or 416", fixed, n, rec.Code)
	}
}

// checkContentRange checks one "bytes first-last/n" against a part of got
// bytes.
func checkContentRange(t *testing.T, fixed string, n int64, cr string, got int64) {
	t.Helper()
	var first, last, total int64
	if _, err := fmt.Sscanf(cr, "bytes %d-%d/%d", &first, &last, &total); err != nil ||
		total != n || first < 0 || first > last || last >= n || last-first+1 != got {
		t.Fatalf("Range %q, size %d: Content-Range %q for a %d-byte part", fixed, n, cr, got)
	}
}

// routingSecret is in files of the fuzzed library that are not indexed; no
// response may contain it.
const routingSecret = "FUZZ-ROUTING-SECRET-9b2e"

// FuzzRouting sends any method, path, Range, Authorization and Cookie (and,
// by way of line breaks in them, any other header) through the whole
// handler, from this computer or from a LAN device. It must not panic or
// answer 5xx; /api/ errors and JSON answers must be well-formed JSON; and
// nothing may return the bytes of a file the library did not index.
func FuzzRouting(f *testing.F) {
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"Band/Album/01 Song.wav":   {Data: playertest.WAV(4000), ModTime: mod},
		"Band/Album/cover.jpg":     {Data: []byte("\xff\xd8\xff\xe0fake jpeg"), ModTime: mod},
		"Band/Album/notes.txt":     {Data: []byte(routingSecret), ModTime: mod},
		"Band/Album/song.wav.part": {Data: []byte(routingSecret), ModTime: mod},
		".hidden/secret.wav":       {Data: append(playertest.WAV(100), routingSecret...), ModTime: mod},
		"Band/.secret.wav":         {Data: append(playertest.WAV(100), routingSecret...), ModTime: mod},
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), player.Source{Name: "fuzz", FS: fsys}); err != nil || rep.Tracks != 1 {
		f.Fatalf("Scan = %+v, %v; want 1 track", rep, err)
	}
	s := New(lib, Options{Logger: slog.New(slog.DiscardHandler)})
	h := s.Handler()
	id := lib.Tracks()[0].ID
	key := s.Key()

	stream := "/api/tracks/" + id + "/stream"
	for _, seed := range []struct {
		method, path, rng, auth, cookie string
		lan                             bool
	}{
		{"GET", "/", "", "", "", false},
		{"GET", "/app.js", "bytes=0-10", "", "", false},
		{"GET", "/api/status", "", "", "", false},
		{"GET", "/api/tracks", "", "Bearer " + key, "", true},
		{"GET", "/api/tracks/" + id, "", "", "", false},
		{"GET", "/api/search?q=song&limit=3", "", "", "", false},
		{"GET", "/api/events", "", "", "", false},
		{"GET", "/api/albums", "", "", "", false},
		{"GET", "/api/artists/x", "", "Bearer " + key, "", true},
		{"GET", "/api/genres", "", "", "", false},
		{"GET", "/api/folders?path=Band%2f..%2f..", "", "", "", false},
		{"GET", stream, "bytes=0-99", "", "", false},
		{"HEAD", stream, "bytes=-0", "", "", false},
		{"GET", stream, "bytes=0-1,5-8", "bearer " + key, "", true},
		{"GET", stream + "?key=" + key, "bytes=1-", "", "", true},
		{"GET", "/api/tracks/" + id + "/cover", "", "", SessionCookie + "=" + sessionValue(key), true},
		{"GET", "/api/tracks/" + id + "/cover?size=96", "", "", "", false},
		{"GET", "/pair?key=" + key, "", "", "", true},
		{"GET", "/pair?key=wrong", "", "", "", true},
		{"POST", stream, "", "", "", false},
		{"OPTIONS", "*", "", "", "", false},
		{"GET", "/api/tracks/..%2f..%2fBand%2fAlbum%2fnotes.txt/stream", "", "", "", false},
		{"GET", "/api/tracks/%2e%2e/cover", "", "", "", false},
		{"GET", "/../Band/Album/notes.txt", "", "", "", false},
		{"GET", "/Band/Album/notes.txt", "", "", "", false},
		{"GET", "/%c0%ae%c0%ae/", "", "", "", false},
		{"GET", "/api/tracks/" + id + "/stream\x00", "", "", "", false},
		{"GET", stream, "bytes=0-1\r\nIf-Range: \"x\"", "", "", false},
		{"GET", stream, "", "Bearer", "a=b; " + SessionCookie + "=", true},
		{"PUT", "/api/", "items=0-1", "Basic Zm9vOmJhcg==", "", true},
	} {
		f.Add(seed.method, seed.path, seed.rng, seed.auth, seed.cookie, seed.lan)
	}
	f.Fuzz(func(t *testing.T, method, path, rng, auth, cookie string, lan bool) {
		raw := method + " " + path + " HTTP/1.1\r\nHost: earshot.test\r\n"
		for _, kv := range [][2]string{{"Range", rng}, {"Authorization", auth}, {"Cookie", cookie}} {
			if kv[1] != "" {
				raw += kv[0] + ": " + kv[1] + "\r\n"
			}
		}
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw + "\r\n")))
		if err != nil {
			return // not a request the server would parse either
		}
		// The event stream runs until its client goes away: here, soon.
		ctx, cancel := context.WithTimeout(req.Context(), 100*time.Millisecond)
		defer cancel()
		req = req.WithContext(ctx)
		req.RemoteAddr = "127.0.0.1:50000"
		if lan {
			req.RemoteAddr = "192.0.2.7:50000"
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		what := fmt.Sprintf("%q from %s", raw, req.RemoteAddr)
		if rec.Code >= 500 {
			t.Fatalf("%s: status %d: %s", what, rec.Code, body)
		}
		if bytes.Contains(body, []byte(routingSecret)) {
			t.Fatalf("%s: status %d: the answer holds a file the library did not index", what, rec.Code)
		}
		ct := rec.Header().Get("Content-Type")
		isJSON := ct == "application/json; charset=utf-8"
		// The mux routes by the escaped path, so /api%2fx is a static path.
		api := strings.HasPrefix(req.URL.Path, "/api/") && strings.HasPrefix(req.URL.EscapedPath(), "/api/")
		if api && rec.Code >= 400 && !isJSON {
			t.Fatalf("%s: status %d with Content-Type %q, want a JSON error", what, rec.Code, ct)
		}
		if isJSON && req.Method != "HEAD" && !json.Valid(body) {
			t.Fatalf("%s: status %d: invalid JSON %q", what, rec.Code, body)
		}
		if isJSON && rec.Code >= 400 && req.Method != "HEAD" {
			var e errorBody
			if json.Unmarshal(body, &e) != nil || e.Error == "" {
				t.Fatalf("%s: status %d: error body %q is not {\"error\": …}", what, rec.Code, body)
			}
		}
	})
}
