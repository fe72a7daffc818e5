package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"testing/fstest"

	"earshot/player/playertest"
)

// TestTracksPage pages through /api/tracks with offset and limit and checks
// each page against the whole list, and that bad numbers are 400s.
func TestTracksPage(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 7 {
		fsys[fmt.Sprintf("A/%02d.wav", i)] = &fstest.MapFile{Data: playertest.WAV(100 + i)}
	}
	lib := testLibrary(t, fsys)
	h := New(lib, Options{}).Handler()
	var all []string
	for _, tr := range lib.Tracks() {
		all = append(all, tr.ID)
	}
	tests := []struct {
		query      string
		offset     int
		start, end int // the slice of all the page holds
	}{
		{"offset=0&limit=3", 0, 0, 3},
		{"offset=3&limit=3", 3, 3, 6},
		{"offset=6&limit=3", 6, 6, 7},
		{"offset=7&limit=3", 7, 7, 7},
		{"offset=100&limit=3", 7, 7, 7},
		{"limit=2", 0, 0, 2},
		{"offset=5", 5, 5, 7},
		{"offset=0&limit=0", 0, 0, 0},
	}
	for _, tt := range tests {
		rec := do(h, http.MethodGet, "/api/tracks?"+tt.query, nil)
		var page tracksPage
		if err := json.Unmarshal(rec.Body.Bytes(), &page); rec.Code != http.StatusOK || err != nil {
			t.Fatalf("GET /api/tracks?%s = %d %q, %v", tt.query, rec.Code, rec.Body, err)
		}
		var got []string
		for _, tr := range page.Tracks {
			got = append(got, tr.ID)
		}
		if want := all[tt.start:tt.end]; page.Offset != tt.offset || page.Total != len(all) || !slices.Equal(got, want) || page.Tracks == nil {
			t.Errorf("GET /api/tracks?%s = offset %d, total %d, %q; want offset %d, total %d, %q",
				tt.query, page.Offset, page.Total, got, tt.offset, len(all), want)
		}
	}
	for _, q := range []string{"offset=-1", "limit=-5", "offset=x", "limit=1.5", "offset=&limit=2", "limit=99999999999999999999"} {
		rec := do(h, http.MethodGet, "/api/tracks?"+q, nil)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET /api/tracks?%s = %d, want 400", q, rec.Code)
			continue
		}
		if msg := jsonError(t, rec); msg == "" {
			t.Errorf("GET /api/tracks?%s: empty error message", q)
		}
	}
}
