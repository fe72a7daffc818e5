package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"earshot/player/playertest"
)

// BenchmarkStreamRange measures the per-request path of a seeking player's
// 64 KiB Range request (middlewares, auth, device log, opening the track
// through the library folder, headers, [http.ServeContent]) for a track two
// folders deep in a real folder. The recorder has no sendfile, so the body
// is copied; run with -benchmem to see the allocations of a request.
func BenchmarkStreamRange(b *testing.B) {
	dir := b.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Artist", "Album"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Artist", "Album", "song.wav"), playertest.WAV(1<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	lib := folderLibrary(b, dir)
	h := New(lib, Options{}).Handler()
	target := "/api/tracks/" + lib.Tracks()[0].ID + "/stream"
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.RemoteAddr = "127.0.0.1:50000"
		req.Host = "127.0.0.1:8780"
		a := (i * 7919 * 4096) % (1<<20 - 64<<10)
		req.Header["Range"] = []string{fmt.Sprintf("bytes=%d-%d", a, a+64<<10-1)}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusPartialContent {
			b.Fatalf("status %d, want 206", rec.Code)
		}
	}
}
