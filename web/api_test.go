package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player/playertest"
)

// update rewrites the golden files: go test ./web -run TestAPI -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// apiFS is a small library: three WAV files (no tags, so titles come from
// file names) and a folder cover.
func apiFS() fstest.MapFS {
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	return fstest.MapFS{
		"Band/Album/01 Opening.wav": {Data: playertest.WAV(16000 * 2), ModTime: mod},
		"Band/Album/02 Closing.wav": {Data: playertest.WAV(16000), ModTime: mod},
		"Band/Album/cover.jpg":      {Data: []byte("\xff\xd8\xff\xe0fake jpeg"), ModTime: mod},
		"Loose/Untitled.wav":        {Data: playertest.WAV(8000), ModTime: mod},
	}
}

func TestAPI(t *testing.T) {
	lib := testLibrary(t, apiFS())
	h := New(lib, Options{Version: "1.2.3"}).Handler()
	id := lib.Tracks()[0].ID
	tests := []struct {
		name, target string
		code         int
	}{
		{"status", "/api/status", 200},
		{"tracks", "/api/tracks", 200},
		{"track", "/api/tracks/" + id, 200},
		{"search", "/api/search?q=CLOS", 200},
		{"search-empty", "/api/search?q=zzz", 200},
		{"track-unknown", "/api/tracks/unknown", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, "GET", tc.target, nil)
			if rec.Code != tc.code {
				t.Fatalf("GET %s: status %d, want %d", tc.target, rec.Code, tc.code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
				t.Fatalf("invalid JSON %q: %v", rec.Body, err)
			}
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				os.WriteFile(golden, pretty.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("GET %s =\n%s\nwant (%s)\n%s", tc.target, pretty.Bytes(), golden, want)
			}
		})
	}
}

func TestCover(t *testing.T) {
	lib := testLibrary(t, apiFS())
	h := New(lib, Options{}).Handler()
	id := lib.Tracks()[0].ID
	rec := do(h, "GET", "/api/tracks/"+id+"/cover", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/jpeg" || rec.Body.String() != "\xff\xd8\xff\xe0fake jpeg" {
		t.Fatalf("cover: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	etag := rec.Header().Get("ETag")
	if rec := do(h, "GET", "/api/tracks/"+id+"/cover", http.Header{"If-None-Match": {etag}}); rec.Code != 304 {
		t.Errorf("revalidation: status %d, want 304", rec.Code)
	}
}

func TestStaticPage(t *testing.T) {
	h := New(testLibrary(t, fstest.MapFS{}), Options{}).Handler()
	tests := []struct {
		target, contentType, contains string
		code                          int
	}{
		{"/", "text/html; charset=utf-8", `id="audio"`, 200},
		{"/app.js", "text/javascript; charset=utf-8", "import", 200},
		{"/style.css", "text/css; charset=utf-8", "", 200},
		{"/missing.js", "", "", 404},
		{"/../../etc/passwd", "", "", 307}, // the mux cleans the path: redirect to /etc/passwd…
		{"/etc/passwd", "", "", 404},       // …which is not in the embedded page
		{"/..%2f..%2fetc%2fpasswd", "", "", 404},
	}
	for _, tc := range tests {
		rec := do(h, "GET", tc.target, nil)
		if rec.Code != tc.code {
			t.Errorf("GET %s: status %d, want %d", tc.target, rec.Code, tc.code)
			continue
		}
		if tc.contentType != "" && rec.Header().Get("Content-Type") != tc.contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.target, rec.Header().Get("Content-Type"), tc.contentType)
		}
		if !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("GET %s: body lacks %q", tc.target, tc.contains)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff header", tc.target)
		}
	}
	if rec := do(h, "POST", "/", nil); rec.Code != 405 {
		t.Errorf("POST /: status %d, want 405", rec.Code)
	}
}
