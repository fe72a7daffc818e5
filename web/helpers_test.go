package web

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// testLibrary scans fsys into a new library, failing t on error.
func testLibrary(t *testing.T, fsys fs.FS) *player.Library {
	t.Helper()
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return lib
}

// wavLibrary is a library holding one WAV file, "Artist/Album/song.wav",
// returned with its bytes, its track and the MapFS behind it.
func wavLibrary(t *testing.T) (*player.Library, []byte, player.Track, fstest.MapFS) {
	t.Helper()
	data := playertest.WAV(16000)
	fsys := fstest.MapFS{"Artist/Album/song.wav": {Data: data, ModTime: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}}
	lib := testLibrary(t, fsys)
	tracks := lib.Tracks()
	if len(tracks) != 1 {
		t.Fatalf("library has %d tracks, want 1", len(tracks))
	}
	return lib, data, tracks[0], fsys
}

// do sends a request to h from this computer (a loopback peer, trusted
// without the access key) and returns the recorded response.
func do(h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = "127.0.0.1:50000"
	req.Host = "127.0.0.1:8780"
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// jsonError decodes an {"error": …} body, failing t when it is not one.
func jsonError(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q is not a JSON error: %v", rec.Body, err)
	}
	return body.Error
}

// watchedLibrary returns a library that uses (scans and watches) the
// folder dir until the test ends, once its first scan is done. The test
// fails if Use returns an error.
func watchedLibrary(t testing.TB, dir string) *player.Library {
	t.Helper()
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	events, unsubscribe := lib.Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	used := make(chan error, 1)
	go func() { used <- lib.Use(ctx, src) }()
	t.Cleanup(func() {
		cancel()
		if err := <-used; err != nil {
			t.Errorf("Use: %v", err)
		}
	})
	awaitEvent(t, events, player.ScanDone)
	return lib
}
