package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// folderDeadline is how long the missing-folder tests wait for Earshot to
// notice that the library folder went away or came back: the issue asks
// for "within a few seconds".
const folderDeadline = 10 * time.Second

// missingMessage is the error text of a stream or cover request while the
// library folder is missing.
const missingMessage = "library folder is missing"

// tinyPNG returns a 2×2 PNG image.
func tinyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// waitFor is [sseStream.until] with folderDeadline.
func (s *sseStream) waitFor(t *testing.T, what string, done func(sseMessage) bool) []sseMessage {
	t.Helper()
	return s.untilWithin(t, folderDeadline, what, done)
}

// isFolderEvent returns a predicate for an "event: folder" message whose
// missing field is missing.
func isFolderEvent(t *testing.T, missing bool) func(sseMessage) bool {
	return func(m sseMessage) bool {
		if m.Event != "folder" {
			return false
		}
		var body folderEventBody
		decode(t, m, &body)
		return body.Missing == missing
	}
}

// getStatus returns GET /api/status of the server at base.
func getStatus(t *testing.T, client *http.Client, base string) statusBody {
	t.Helper()
	var st statusBody
	if err := json.Unmarshal(getBody(t, client, base+"/api/status"), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// usedFolder is a library folder served over httptest while [player.Library.Use]
// watches it, with an event stream opened once its first scan is done.
type usedFolder struct {
	dir    string // the library folder
	lib    *player.Library
	srv    *httptest.Server
	events *sseStream
	track  player.Track // Artist/Album/one.wav, whose folder has cover.png
}

// useFolder makes a library folder holding one WAV file and a folder cover,
// serves it and has lib.Use follow it until the test ends.
func useFolder(t *testing.T) *usedFolder {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Music")
	album := filepath.Join(dir, "Artist", "Album")
	if err := os.MkdirAll(album, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"one.wav": playertest.WAV(16000), "cover.png": tinyPNG(t)} {
		if err := os.WriteFile(filepath.Join(album, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	srv := httptest.NewServer(New(lib, Options{Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(srv.Close)
	events := openEvents(t, srv.Client(), srv.URL+"/api/events")
	events.until(t, "the status event", isEvent("status"))

	ctx, cancel := context.WithCancel(context.Background())
	used := make(chan error, 1)
	go func() { used <- lib.Use(ctx, src) }()
	t.Cleanup(func() {
		cancel()
		if err := <-used; err != nil {
			t.Errorf("Use: %v", err)
		}
	})
	events.waitFor(t, "the library event of Use's first scan", isEvent("library")) // the folder is watched
	tr, err := lib.Track(player.TrackID("Artist/Album/one.wav"))
	if err != nil {
		t.Fatal(err)
	}
	return &usedFolder{dir: dir, lib: lib, srv: srv, events: events, track: tr}
}

// checkMissingAnswer GETs url and checks that it answers a JSON 503 saying
// the library folder is missing.
func checkMissingAnswer(t *testing.T, client *http.Client, method, url string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("%s %s while the folder is missing: %d %q, want a JSON 503", method, url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if method == http.MethodHead {
		return
	}
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error != missingMessage {
		t.Errorf("%s %s while the folder is missing: body %.80q, want the error %q", method, url, body, missingMessage)
	}
}

// TestMissingFolder renames a watched library folder away and back: while
// it is gone, /api/status and the event stream say so, the cached tracks
// stay listed, and the track's stream and cover answer a JSON 503; once it
// is back, all of that is undone and the stream plays again.
func TestMissingFolder(t *testing.T) {
	u := useFolder(t)
	client, base := u.srv.Client(), u.srv.URL
	streamURL := base + "/api/tracks/" + u.track.ID + "/stream"
	coverURL := base + "/api/tracks/" + u.track.ID + "/cover"
	if st := getStatus(t, client, base); st.Missing || st.Tracks != 1 {
		t.Fatalf("status before the folder went: %+v, want 1 track, not missing", st)
	}
	getBody(t, client, coverURL) // the cover is served while the folder is there

	if err := os.Rename(u.dir, u.dir+"-away"); err != nil {
		t.Fatal(err)
	}
	u.events.waitFor(t, `the event "folder" with missing true`, isFolderEvent(t, true))
	if st := getStatus(t, client, base); !st.Missing || st.Tracks != 1 {
		t.Errorf("status while the folder is missing: %+v, want missing with the cached 1 track", st)
	}
	var list tracksBody
	if err := json.Unmarshal(getBody(t, client, base+"/api/tracks"), &list); err != nil || len(list.Tracks) != 1 {
		t.Errorf("GET /api/tracks while the folder is missing: %d tracks (%v), want the cached 1", len(list.Tracks), err)
	}
	// A page that connects now learns it from its first message.
	late := openEvents(t, client, base+"/api/events")
	var first statusBody
	msgs := late.until(t, "the status event", isEvent("status"))
	decode(t, msgs[len(msgs)-1], &first)
	if !first.Missing {
		t.Errorf("first status event while the folder is missing: %+v, want missing", first)
	}
	for _, tc := range []struct{ method, url string }{
		{http.MethodGet, streamURL},
		{http.MethodHead, streamURL},
		{http.MethodGet, coverURL},
		{http.MethodGet, coverURL + "?size=96"},
	} {
		checkMissingAnswer(t, client, tc.method, tc.url)
	}
	// A track that is not in the library is still not found.
	for _, what := range []string{"stream", "cover", "cover?size=96"} {
		resp, err := client.Get(base + "/api/tracks/no-such-track/" + what)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET the %s of an unknown track while the folder is missing: %d, want 404", what, resp.StatusCode)
		}
	}

	if err := os.Rename(u.dir+"-away", u.dir); err != nil {
		t.Fatal(err)
	}
	u.events.waitFor(t, `the event "folder" with missing false`, isFolderEvent(t, false))
	u.events.waitFor(t, "the library event of the rescan", isEvent("library"))
	if st := getStatus(t, client, base); st.Missing || st.Tracks != 1 {
		t.Errorf("status after the folder came back: %+v, want 1 track, not missing", st)
	}
	if got := getBody(t, client, streamURL); !bytes.Equal(got, playertest.WAV(16000)) {
		t.Errorf("stream after the folder came back: %d bytes, want the file's %d", len(got), len(playertest.WAV(16000)))
	}
	getBody(t, client, coverURL)
}

// TestMissingHTTPError checks how [Server.httpError] maps errors: a missing
// library folder is a 503 even though its error also wraps fs.ErrNotExist.
func TestMissingHTTPError(t *testing.T) {
	tests := []struct {
		err  error
		code int
		msg  string
	}{
		{fmt.Errorf("open a.wav: %w (%w)", fs.ErrNotExist, player.ErrFolderMissing), http.StatusServiceUnavailable, missingMessage},
		{fmt.Errorf("cover: %w", player.ErrFolderMissing), http.StatusServiceUnavailable, missingMessage},
		{fmt.Errorf("open a.wav: %w", fs.ErrNotExist), http.StatusNotFound, "file not found"},
		{player.ErrNotFound, http.StatusNotFound, "track not found"},
		{errors.New("disk on fire"), http.StatusInternalServerError, "internal server error"},
	}
	s := New(player.New(player.Options{}), Options{Logger: slog.New(slog.DiscardHandler)})
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.httpError(rec, httptest.NewRequest(http.MethodGet, "/api/tracks/x/stream", nil), tt.err)
		if rec.Code != tt.code {
			t.Errorf("httpError(%v) = %d, want %d", tt.err, rec.Code, tt.code)
		}
		if msg := jsonError(t, rec); msg != tt.msg {
			t.Errorf("httpError(%v) says %q, want %q", tt.err, msg, tt.msg)
		}
	}
}
