package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// sizeTags is a hand-written [probe.TagReader] that tells files apart by
// size: it returns the tags listed for a file's length in bytes.
type sizeTags map[int64]probe.Tags

func (s sizeTags) ReadTags(r io.ReadSeeker) (probe.Tags, error) {
	n, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return probe.Tags{}, err
	}
	if tg, ok := s[n]; ok {
		return tg, nil
	}
	return probe.Tags{}, probe.ErrNoTags
}

// browseLibrary is a tagged library: an album with a cover, a compilation
// tagged "Various Artists", diacritics, and an untagged file.
func browseLibrary(t *testing.T) *player.Library {
	t.Helper()
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	files := []struct {
		path string
		tags *probe.Tags
	}{
		{"Beyoncé/Lemonade/01 Pray.wav", &probe.Tags{Title: "Pray You Catch Me", Artist: "Beyoncé", Album: "Lemonade", Track: 1, Year: 2016, Genre: "R&B"}},
		{"Beyoncé/Lemonade/02 Hold Up.wav", &probe.Tags{Title: "Hold Up", Artist: "Beyoncé", Album: "Lemonade", Track: 2, Year: 2016, Genre: "R&B"}},
		{"Compilations/Hits/01.wav", &probe.Tags{Title: "Crazy in Love", Artist: "Beyoncé", AlbumArtist: "Various Artists", Album: "Hits", Track: 1, Year: 2003, Genre: "Pop"}},
		{"Compilations/Hits/02.wav", &probe.Tags{Title: "Jóga", Artist: "Björk", AlbumArtist: "Various Artists", Album: "Hits", Track: 2, Year: 1997, Genre: "Pop"}},
		{"Sigur Rós/Takk/01 Glósóli.wav", &probe.Tags{Title: "Glósóli", Artist: "Sigur Rós", Album: "Takk...", Track: 2, Year: 2005}},
		{"Loose/untagged.wav", nil},
	}
	fsys := fstest.MapFS{"Beyoncé/Lemonade/cover.jpg": {Data: []byte("\xff\xd8\xff\xe0fake jpeg"), ModTime: mod}}
	tags := sizeTags{}
	for i, f := range files {
		n := 1600 * (i + 1)
		fsys[f.path] = &fstest.MapFile{Data: playertest.WAV(n), ModTime: mod}
		if f.tags != nil {
			tags[int64(44+n)] = *f.tags
		}
	}
	lib := player.New(player.Options{Tags: tags})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return lib
}

func TestBrowseAPI(t *testing.T) {
	h := New(browseLibrary(t), Options{}).Handler()
	tests := []struct {
		name, target string
		code         int
	}{
		{"albums", "/api/albums", 200},
		{"album", "/api/albums/" + player.AlbumID("Beyoncé", "Lemonade"), 200},
		{"album-compilation", "/api/albums/" + player.AlbumID("Various Artists", "Hits"), 200},
		{"album-unknown", "/api/albums/nope", 404},
		{"artists", "/api/artists", 200},
		{"artist", "/api/artists/" + player.ArtistID("Beyoncé"), 200},
		{"artist-unknown", "/api/artists/nope", 404},
		{"genres", "/api/genres", 200},
		{"genre", "/api/genres/" + player.GenreID("Pop"), 200},
		{"genre-unknown", "/api/genres/nope", 404},
		{"folders-root", "/api/folders", 200},
		{"folders-sub", "/api/folders?path=" + url.QueryEscape("Beyoncé/Lemonade"), 200},
		{"folders-unknown", "/api/folders?path=Beyonc%C3%A9/Nope", 404},
		{"search-all", "/api/search?q=bey", 200},
		{"search-diacritics", "/api/search?q=" + url.QueryEscape("ROS sig"), 200},
		{"search-limit", "/api/search?q=&limit=1", 200},
		{"search-bad-limit", "/api/search?q=a&limit=0", 400},
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

// checkGolden compares the JSON answer rec with testdata/name.golden,
// rewriting the file first when the test runs with -update.
func checkGolden(t *testing.T, name string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
		t.Fatalf("invalid JSON %q: %v", rec.Body, err)
	}
	golden := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("answer =\n%s\nwant (%s)\n%s", pretty.Bytes(), golden, want)
	}
}

func TestBrowseMethods(t *testing.T) {
	h := New(browseLibrary(t), Options{}).Handler()
	for _, target := range []string{"/api/albums", "/api/albums/x", "/api/artists", "/api/artists/x", "/api/genres", "/api/genres/x", "/api/folders", "/api/search"} {
		rec := do(h, "POST", target, nil)
		if rec.Code != 405 || rec.Header().Get("Allow") != "GET" {
			t.Errorf("POST %s: status %d, Allow %q; want 405, GET", target, rec.Code, rec.Header().Get("Allow"))
		}
		if msg := jsonError(t, rec); msg != "method not allowed" {
			t.Errorf("POST %s: error %q", target, msg)
		}
	}
}

// TestBrowseIDsLinkUp follows the IDs in the answers: every album's artist
// and every artist and genre of the lists resolve, and an album's page
// lists exactly the tracks its summary counts.
func TestBrowseIDsLinkUp(t *testing.T) {
	h := New(browseLibrary(t), Options{}).Handler()
	get := func(target string, v any) {
		t.Helper()
		rec := do(h, "GET", target, nil)
		if rec.Code != 200 {
			t.Fatalf("GET %s: status %d: %s", target, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
	}
	var albums albumsBody
	get("/api/albums", &albums)
	for _, a := range albums.Albums {
		var d player.AlbumDetail
		get("/api/albums/"+a.ID, &d)
		if d.Album != a || len(d.Tracks) != a.TrackCount {
			t.Errorf("album %q: page %+v with %d tracks, want the summary %+v", a.Title, d.Album, len(d.Tracks), a)
		}
		var ar player.ArtistDetail
		get("/api/artists/"+a.ArtistID, &ar)
		if !slices.ContainsFunc(ar.Albums, func(x player.Album) bool { return x.ID == a.ID }) {
			t.Errorf("album %q is not on its artist's page %q", a.Title, ar.Name)
		}
	}
	var artists artistsBody
	get("/api/artists", &artists)
	for _, a := range artists.Artists {
		var d player.ArtistDetail
		get("/api/artists/"+url.PathEscape(a.ID), &d)
		n := len(d.Tracks)
		for _, al := range d.Albums {
			n += al.TrackCount
		}
		if d.Artist != a || n != a.TrackCount {
			t.Errorf("artist %q: page %+v lists %d tracks, want %+v", a.Name, d.Artist, n, a)
		}
	}
	var genres genresBody
	get("/api/genres", &genres)
	for _, g := range genres.Genres {
		var d player.GenreDetail
		get("/api/genres/"+g.ID, &d)
		if d.Genre != g || len(d.Albums) != g.AlbumCount {
			t.Errorf("genre %q: page %+v with %d albums, want %+v", g.Name, d.Genre, len(d.Albums), g)
		}
	}
}
