package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"earshot/player"
)

// TestSortedAPI checks the sort parameters of /api/tracks and /api/albums
// and the wider search against goldens, and the 400s of bad parameters.
func TestSortedAPI(t *testing.T) {
	h := New(browseLibrary(t), Options{}).Handler()
	tests := []struct {
		name, target string
		code         int
	}{
		{"tracks-sort-title", "/api/tracks?sort=title", 200},
		{"tracks-sort-year-desc", "/api/tracks?sort=year&order=desc&offset=1&limit=3", 200},
		{"tracks-sort-bad", "/api/tracks?sort=colour", 400},
		{"tracks-order-bad", "/api/tracks?sort=title&order=up", 400},
		{"albums-sort-year", "/api/albums?sort=year", 200},
		{"albums-sort-name-desc", "/api/albums?sort=name&order=desc", 200},
		{"albums-sort-random", "/api/albums?sort=random&seed=3", 200},
		{"albums-sort-bad", "/api/albums?sort=colour", 400},
		{"albums-seed-bad", "/api/albums?sort=random&seed=-1", 400},
		{"search-inside", "/api/search?q=" + url.QueryEscape("ONC"), 200},
		{"search-genre", "/api/search?q=pop", 200},
		{"search-year", "/api/search?q=2016", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, "GET", tc.target, nil)
			if rec.Code != tc.code {
				t.Fatalf("GET %s: status %d, want %d: %s", tc.target, rec.Code, tc.code, rec.Body)
			}
			checkGolden(t, tc.name, rec)
		})
	}
}

// TestSortByPlaysAndSearchPlaylists checks the plays sorts against play
// counts recorded through the library, and that search finds playlists
// people made and playlist files by name, inside words too.
func TestSortByPlaysAndSearchPlaylists(t *testing.T) {
	lib := userLib(t, sideFS())
	h := New(lib, Options{}).Handler()
	tracks := lib.Tracks()
	if len(tracks) < 3 {
		t.Fatalf("%d tracks, want 3 or more", len(tracks))
	}
	play := func(tr player.Track, listen string) {
		t.Helper()
		if _, err := lib.RecordPlay(tr.ID, listen, max(tr.Duration, 240)); err != nil {
			t.Fatal(err)
		}
	}
	play(tracks[2], "a")
	play(tracks[2], "b")
	play(tracks[1], "c")
	var rest []string
	for i, tr := range tracks {
		if i != 1 && i != 2 {
			rest = append(rest, tr.ID)
		}
	}
	for _, tc := range []struct {
		order string
		want  []string
	}{
		{"desc", append([]string{tracks[2].ID, tracks[1].ID}, rest...)},
		{"asc", append(slices.Clone(rest), tracks[1].ID, tracks[2].ID)},
	} {
		rec := do(h, "GET", "/api/tracks?sort=plays&order="+tc.order, nil)
		var body struct{ Tracks []player.Track }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 200 {
			t.Fatalf("plays %s: %d %v", tc.order, rec.Code, err)
		}
		var got []string
		for _, tr := range body.Tracks {
			got = append(got, tr.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("sort=plays&order=%s: %q, want %q", tc.order, got, tc.want)
		}
	}

	rec := do(h, "GET", "/api/albums?sort=plays&order=desc", nil)
	var albums struct{ Albums []player.Album }
	if err := json.Unmarshal(rec.Body.Bytes(), &albums); err != nil || len(albums.Albums) == 0 {
		t.Fatalf("albums by plays: %d %v %s", rec.Code, err, rec.Body)
	}
	first, err := lib.Album(albums.Albums[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(first.Tracks, func(tr player.Track) bool { return tr.ID == tracks[2].ID }) {
		t.Errorf("most played album %q does not hold the most played track", first.Title)
	}

	if _, err := lib.CreatePlaylist("Road Trip", []string{tracks[0].ID}); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range lib.FilePlaylists() {
		files = append(files, p.Name)
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"road", []string{"Road Trip"}},
		{"OAD", []string{"Road Trip"}},
		{"zzz", nil},
	} {
		var got []string
		for _, p := range lib.SearchAll(tc.q, 10).Playlists {
			got = append(got, p.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("SearchAll(%q).Playlists = %q, want %q", tc.q, got, tc.want)
		}
	}
	if len(files) == 0 {
		t.Fatal("sideFS has no playlist files")
	}
	found := lib.SearchAll(files[0], 10).Playlists
	if len(found) == 0 || found[0].Name != files[0] || !found[0].File {
		t.Errorf("SearchAll(%q).Playlists = %+v, want the playlist file first", files[0], found)
	}
}
