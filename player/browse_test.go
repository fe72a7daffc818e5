package player_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// tagLibrary scans a library whose files carry the given tags. Each file is
// a small WAV whose size tells [fakeTags] which tags it has; a nil entry
// stands for a file without tags.
func tagLibrary(t *testing.T, files map[string]*probe.Tags) *player.Library {
	t.Helper()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	tags := fakeTags{}
	fsys := fstest.MapFS{}
	for i, name := range names {
		n := 100 * (i + 1)
		fsys[name] = &fstest.MapFile{Data: playertest.WAV(n)}
		if tg := files[name]; tg != nil {
			tags[int64(44+n)] = *tg
		}
	}
	lib := player.New(player.Options{Tags: tags})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "browse", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	return lib
}

// browseLibrary holds albums that exercise grouping: two albums with the
// same title by different artists, a compilation whose album-artist tag
// differs in case between tracks, two discs, diacritics and an untagged file.
func browseLibrary(t *testing.T) *player.Library {
	return tagLibrary(t, map[string]*probe.Tags{
		"A/Greatest Hits/01.wav":  {Title: "One", Artist: "Alpha", Album: "Greatest Hits", Track: 1},
		"B/Greatest Hits/01.wav":  {Title: "Two", Artist: "Beta", Album: "Greatest Hits", Track: 1},
		"Beyoncé/Lemonade/02.wav": {Title: "Hold Up", Artist: "Beyoncé", Album: "Lemonade", Track: 2, Year: 2016, Genre: "R&B"},
		"Beyoncé/Lemonade/01.wav": {Title: "Pray You Catch Me", Artist: "Beyoncé", Album: "Lemonade", Track: 1, Year: 2016, Genre: "R&B"},
		"Björk/Homogenic/01.wav":  {Title: "Hunter", Artist: "Björk", Album: "Homogenic", Track: 1, Year: 1997, Genre: "Electronic"},
		"Sigur Rós/Takk/d2-01.wav": {Title: "Sé lest", Artist: "Sigur Rós", Album: "Takk...", Disc: 2, Track: 1, Year: 2005,
			Genre: "Post-Rock"},
		"Sigur Rós/Takk/d1-02.wav": {Title: "Glósóli", Artist: "Sigur Rós", Album: "Takk...", Disc: 1, Track: 2, Year: 2005},
		"Sigur Rós/Takk/d1-01.wav": {Title: "Takk...", Artist: "Sigur Rós", Album: "Takk...", Disc: 1, Track: 1, Year: 2004},
		"Comp/01.wav":              {Title: "Crazy in Love", Artist: "Beyoncé", AlbumArtist: "Various Artists", Album: "Hits", Track: 1, Genre: "Pop"},
		"Comp/02.wav":              {Title: "Jóga", Artist: "Björk", AlbumArtist: "Various Artists", Album: "Hits", Track: 2, Genre: "pop"},
		"Comp/03.wav":              {Title: "Straße", Artist: "Kraftwerk", AlbumArtist: "VARIOUS artists", Album: "HITS", Track: 3},
		"loose.wav":                nil,
	})
}

func titles(tracks []player.Track) []string {
	var out []string
	for _, t := range tracks {
		out = append(out, t.Title)
	}
	return out
}

func albumTitles(albums []player.Album) []string {
	var out []string
	for _, a := range albums {
		out = append(out, a.Artist+" — "+a.Title)
	}
	return out
}

func TestAlbums(t *testing.T) {
	lib := browseLibrary(t)
	albums := lib.Albums()
	want := []string{
		"Alpha — Greatest Hits", "Beta — Greatest Hits", "Beyoncé — Lemonade", "Björk — Homogenic",
		"Sigur Rós — Takk...", "Unknown Artist — Unknown Album", "Various Artists — Hits",
	}
	if got := albumTitles(albums); !slices.Equal(got, want) {
		t.Fatalf("Albums() = %q, want %q", got, want)
	}
	tests := []struct {
		album       string // "artist — title"
		tracks      []string
		year        int
		genre       string
		compilation bool
	}{
		{"Alpha — Greatest Hits", []string{"One"}, 0, "", false},
		{"Beta — Greatest Hits", []string{"Two"}, 0, "", false},
		{"Beyoncé — Lemonade", []string{"Pray You Catch Me", "Hold Up"}, 2016, "R&B", false},
		{"Sigur Rós — Takk...", []string{"Takk...", "Glósóli", "Sé lest"}, 2005, "Post-Rock", false},
		{"Unknown Artist — Unknown Album", []string{"loose"}, 0, "", false},
		{"Various Artists — Hits", []string{"Crazy in Love", "Jóga", "Straße"}, 0, "Pop", true},
	}
	byName := map[string]player.Album{}
	for _, a := range albums {
		byName[a.Artist+" — "+a.Title] = a
	}
	for _, tc := range tests {
		a := byName[tc.album]
		d, err := lib.Album(a.ID)
		if err != nil {
			t.Errorf("Album(%q) (%s): %v", a.ID, tc.album, err)
			continue
		}
		if got := titles(d.Tracks); !slices.Equal(got, tc.tracks) {
			t.Errorf("%s: tracks %q, want %q", tc.album, got, tc.tracks)
		}
		if d.Album != a {
			t.Errorf("%s: Album(id).Album = %+v, want the summary %+v", tc.album, d.Album, a)
		}
		if a.TrackCount != len(tc.tracks) || a.Year != tc.year || a.Genre != tc.genre || a.Compilation != tc.compilation {
			t.Errorf("%s = %+v, want %d tracks, year %d, genre %q, compilation %v",
				tc.album, a, len(tc.tracks), tc.year, tc.genre, tc.compilation)
		}
		var dur float64
		for _, tr := range d.Tracks {
			dur += tr.Duration
		}
		if dur = math.Round(dur*1000) / 1000; a.Duration != dur {
			t.Errorf("%s: duration %v, want %v", tc.album, a.Duration, dur)
		}
	}
	hits := byName["Various Artists — Hits"]
	if hits.ID != player.AlbumID("various artists", "hits") || hits.ArtistID != player.ArtistID("Various Artists") {
		t.Errorf("Hits: ID %q, ArtistID %q; want AlbumID and ArtistID of its tags", hits.ID, hits.ArtistID)
	}
	if _, err := lib.Album("nope"); !errors.Is(err, player.ErrAlbumNotFound) {
		t.Errorf("Album(nope) = %v, want ErrAlbumNotFound", err)
	}
}

func TestAlbumIDs(t *testing.T) {
	tests := []struct {
		a1, t1, a2, t2 string
		same           bool
	}{
		{"Various Artists", "Hits", "VARIOUS ARTISTS", "hits", true},
		{"Alpha", "Greatest Hits", "Beta", "Greatest Hits", false},
		{"Sigur Rós", "Takk", "Sigur Ros", "Takk", false},
		{"ab", "c", "a", "bc", false},
	}
	for _, tc := range tests {
		id1, id2 := player.AlbumID(tc.a1, tc.t1), player.AlbumID(tc.a2, tc.t2)
		if (id1 == id2) != tc.same {
			t.Errorf("AlbumID(%q, %q) = %q, AlbumID(%q, %q) = %q; want same=%v", tc.a1, tc.t1, id1, tc.a2, tc.t2, id2, tc.same)
		}
		if len(id1) != 12 || strings.ContainsAny(id1, "/+=?#%") {
			t.Errorf("AlbumID(%q, %q) = %q, want 12 URL-safe characters", tc.a1, tc.t1, id1)
		}
	}
	if player.ArtistID("Hits") == player.GenreID("Hits") {
		t.Error("an artist and a genre of the same name share an ID")
	}
}

func TestArtists(t *testing.T) {
	lib := browseLibrary(t)
	var names []string
	for _, a := range lib.Artists() {
		names = append(names, a.Name)
	}
	want := []string{"Alpha", "Beta", "Beyoncé", "Björk", "Kraftwerk", "Sigur Rós", "Unknown Artist", "Various Artists"}
	if !slices.Equal(names, want) {
		t.Fatalf("Artists() = %q, want %q", names, want)
	}
	tests := []struct {
		name           string
		albums, tracks []string
		trackCount     int
	}{
		{"Beyoncé", []string{"Beyoncé — Lemonade"}, []string{"Crazy in Love"}, 3},
		{"Björk", []string{"Björk — Homogenic"}, []string{"Jóga"}, 2},
		{"Kraftwerk", nil, []string{"Straße"}, 1},
		{"Various Artists", []string{"Various Artists — Hits"}, nil, 3},
		{"Sigur Rós", []string{"Sigur Rós — Takk..."}, nil, 3},
	}
	for _, tc := range tests {
		d, err := lib.Artist(player.ArtistID(tc.name))
		if err != nil {
			t.Errorf("Artist(%s): %v", tc.name, err)
			continue
		}
		if got := albumTitles(d.Albums); !slices.Equal(got, tc.albums) {
			t.Errorf("%s: albums %q, want %q", tc.name, got, tc.albums)
		}
		if got := titles(d.Tracks); !slices.Equal(got, tc.tracks) {
			t.Errorf("%s: tracks on others' albums %q, want %q", tc.name, got, tc.tracks)
		}
		if d.Name != tc.name || d.AlbumCount != len(tc.albums) || d.TrackCount != tc.trackCount {
			t.Errorf("%s = %+v, want %d albums, %d tracks", tc.name, d.Artist, len(tc.albums), tc.trackCount)
		}
	}
	if _, err := lib.Artist("nope"); !errors.Is(err, player.ErrArtistNotFound) {
		t.Errorf("Artist(nope) = %v, want ErrArtistNotFound", err)
	}
}

func TestGenres(t *testing.T) {
	lib := browseLibrary(t)
	type genre struct {
		name           string
		tracks, albums int
	}
	var got []genre
	for _, g := range lib.Genres() {
		got = append(got, genre{g.Name, g.TrackCount, g.AlbumCount})
		if g.ID != player.GenreID(g.Name) {
			t.Errorf("genre %q: ID %q, want GenreID", g.Name, g.ID)
		}
	}
	want := []genre{{"Electronic", 1, 1}, {"Pop", 2, 1}, {"Post-Rock", 1, 1}, {"R&B", 2, 1}}
	if !slices.Equal(got, want) {
		t.Errorf("Genres() = %v, want %v", got, want)
	}
	d, err := lib.Genre(player.GenreID(" POP "))
	if err != nil {
		t.Fatal(err)
	}
	if got := albumTitles(d.Albums); !slices.Equal(got, []string{"Various Artists — Hits"}) {
		t.Errorf("Genre(pop) albums = %q", got)
	}
	if _, err := lib.Genre(player.GenreID("Jazz")); !errors.Is(err, player.ErrGenreNotFound) {
		t.Errorf("Genre(Jazz) = %v, want ErrGenreNotFound", err)
	}
}

func TestFolders(t *testing.T) {
	lib := browseLibrary(t)
	tests := []struct {
		path, wantPath, parent string
		folders                []string // "name path count"
		tracks                 []string // file paths
	}{
		{"", "", "", []string{
			"A A 1", "B B 1", "Beyoncé Beyoncé 2", "Björk Björk 1", "Comp Comp 3", "Sigur Rós Sigur Rós 3",
		}, []string{"loose.wav"}},
		{"Sigur Rós", "Sigur Rós", "", []string{"Takk Sigur Rós/Takk 3"}, nil},
		{"/Sigur Rós/Takk/", "Sigur Rós/Takk", "Sigur Rós", nil,
			[]string{"Sigur Rós/Takk/d1-01.wav", "Sigur Rós/Takk/d1-02.wav", "Sigur Rós/Takk/d2-01.wav"}},
		{"Beyoncé/Lemonade", "Beyoncé/Lemonade", "Beyoncé", nil,
			[]string{"Beyoncé/Lemonade/01.wav", "Beyoncé/Lemonade/02.wav"}},
	}
	for _, tc := range tests {
		f, err := lib.Folder(tc.path)
		if err != nil {
			t.Errorf("Folder(%q): %v", tc.path, err)
			continue
		}
		var folders []string
		for _, s := range f.Folders {
			folders = append(folders, s.Name+" "+s.Path+" "+strconv.Itoa(s.TrackCount))
		}
		if f.Path != tc.wantPath || f.Parent != tc.parent || !slices.Equal(folders, tc.folders) || !slices.Equal(paths(f.Tracks), tc.tracks) {
			t.Errorf("Folder(%q) = path %q parent %q folders %q tracks %q,\nwant path %q parent %q folders %q tracks %q",
				tc.path, f.Path, f.Parent, folders, paths(f.Tracks), tc.wantPath, tc.parent, tc.folders, tc.tracks)
		}
	}
	for _, p := range []string{"nope", "Sigur Rós/Takk/d1-01.wav", "sigur rós", "Sigur Rós/../A", "."} {
		if _, err := lib.Folder(p); !errors.Is(err, player.ErrFolderNotFound) {
			t.Errorf("Folder(%q) = %v, want ErrFolderNotFound", p, err)
		}
	}
	empty := player.New(player.Options{})
	if f, err := empty.Folder(""); err != nil || len(f.Folders) != 0 || len(f.Tracks) != 0 {
		t.Errorf("empty library: Folder(\"\") = %+v, %v; want an empty root", f, err)
	}
}
