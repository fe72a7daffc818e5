package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// problemsLibrary scans, without ffmpeg, a good WAV, an MP3 and a FLAC
// that are not audio, and a WMA (which needs ffmpeg).
func problemsLibrary(t *testing.T) *player.Library {
	t.Helper()
	junk := []byte("not audio at all, only words and more words to fill a frame")
	fsys := fstest.MapFS{
		"Band/Album/01 Fine.wav":    {Data: playertest.WAV(8000)},
		"Band/Album/02 Broken.mp3":  {Data: junk},
		"Band/Other: Live/03.flac":  {Data: junk},
		"Band/Album/04 Windows.wma": {Data: junk},
	}
	lib := player.New(player.Options{Tools: &probe.Tools{}})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return lib
}

// TestAPIProblems checks GET /api/problems against its golden file: the
// unreadable files with their reasons (a folder name holding ": " kept
// whole), then the WMA as "needs ffmpeg" with its track ID; an empty list
// is [], not null; other methods get 405, and a device that is not paired
// gets 401.
func TestAPIProblems(t *testing.T) {
	h := New(problemsLibrary(t), Options{}).Handler()
	rec := do(h, "GET", "/api/problems", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /api/problems: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
		t.Fatalf("invalid JSON %q: %v", rec.Body, err)
	}
	golden := filepath.Join("testdata", "problems.golden")
	if *update {
		os.WriteFile(golden, pretty.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("GET /api/problems =\n%s\nwant (%s)\n%s", pretty.Bytes(), golden, want)
	}
	var body problemsBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Problems) != 3 {
		t.Fatalf("body %s: %v, want 3 problems", rec.Body, err)
	}
	if p := body.Problems[1]; p.Path != "Band/Other: Live/03.flac" || !strings.Contains(p.Reason, "no fLaC marker") {
		t.Errorf("problem 2 = %+v, want the FLAC in 'Band/Other: Live' with its reason", p)
	}
	if p := body.Problems[2]; p.Reason != "needs ffmpeg" || p.TrackID != player.TrackID(p.Path) {
		t.Errorf("problem 3 = %+v, want the WMA, needs ffmpeg, with its track ID", p)
	}
	// The WMA is a track all the same, marked in the track's JSON.
	var tr player.Track
	rec = do(h, "GET", "/api/tracks/"+body.Problems[2].TrackID, nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); rec.Code != 200 || err != nil || !tr.NeedsFFmpeg {
		t.Errorf("GET the WMA's track: %d %s, want needsFFmpeg", rec.Code, rec.Body)
	}

	if rec := do(h, "POST", "/api/problems", nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/problems: %d, want 405", rec.Code)
	}
	empty := New(testLibrary(t, apiFS()), Options{}).Handler()
	if rec := do(empty, "GET", "/api/problems", nil); strings.TrimSpace(rec.Body.String()) != `{"problems":[]}` {
		t.Errorf("GET /api/problems with no problem = %s, want an empty array", rec.Body)
	}
	if rec := send(h, "GET", "/api/problems", "192.168.1.20:50000", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("GET /api/problems from an unpaired device: %d, want 401", rec.Code)
	}
}
