package player

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCompareNatural(t *testing.T) {
	ordered := []string{"", "1", "2", "02", "10", "a", "track", "track 1", "track 2", "track 2b", "track 10", "track 010a", "tracks"}
	for i, a := range ordered {
		for j, b := range ordered {
			if got, want := compareNatural(a, b), cmp.Compare(i, j); got != want {
				t.Errorf("compareNatural(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// sortLibrary is a small library whose titles need natural order, case
// and diacritics folding, and ties.
func sortLibrary() *Library {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tracks := []Track{
		{Path: "a/1", Title: "Track 10", Artist: "Zoë", Album: "B", Year: 2001, Duration: 30, ModTime: base.Add(3 * time.Hour)},
		{Path: "a/2", Title: "track 2", Artist: "zoe", Album: "B", Year: 1999, Duration: 20, ModTime: base.Add(1 * time.Hour)},
		{Path: "a/3", Title: "Éclair", Artist: "Abba", Album: "a", Year: 2001, Duration: 20, ModTime: base.Add(2 * time.Hour)},
		{Path: "a/4", Title: "eclair", Artist: "ABBA", Album: "C", Year: 1980, Duration: 40, ModTime: base},
		{Path: "a/5", Title: "Track 1", Artist: "Émile", Album: "c", Duration: 10, ModTime: base.Add(4 * time.Hour)},
	}
	for i := range tracks {
		tracks[i].ID = TrackID(tracks[i].Path)
	}
	l := New(Options{})
	l.replace(Source{Name: "sort"}, tracks, nil)
	return l
}

// TestSortedTracksExamples checks each song sort both ways on a library
// small enough to write the answers out: natural numbers, case and
// accents ignored, ties in library order in both directions.
func TestSortedTracksExamples(t *testing.T) {
	l := sortLibrary()
	tests := []struct {
		key       string
		asc, desc []string
	}{
		{"title", []string{"a/3", "a/4", "a/5", "a/2", "a/1"}, []string{"a/1", "a/2", "a/5", "a/3", "a/4"}},
		{"artist", []string{"a/3", "a/4", "a/5", "a/2", "a/1"}, []string{"a/2", "a/1", "a/5", "a/3", "a/4"}},
		{"album", []string{"a/3", "a/2", "a/1", "a/4", "a/5"}, []string{"a/4", "a/5", "a/2", "a/1", "a/3"}},
		{"year", []string{"a/5", "a/4", "a/2", "a/3", "a/1"}, []string{"a/3", "a/1", "a/2", "a/4", "a/5"}},
		{"added", []string{"a/4", "a/2", "a/3", "a/1", "a/5"}, []string{"a/5", "a/1", "a/3", "a/2", "a/4"}},
		{"duration", []string{"a/5", "a/3", "a/2", "a/1", "a/4"}, []string{"a/4", "a/1", "a/3", "a/2", "a/5"}},
		// No user store: every track has 0 plays, so library order
		// (by artist, where "zoe" < "zoë" < "émile", then album).
		{"plays", []string{"a/3", "a/4", "a/2", "a/1", "a/5"}, []string{"a/3", "a/4", "a/2", "a/1", "a/5"}},
	}
	for _, tc := range tests {
		for _, desc := range []bool{false, true} {
			want := tc.asc
			if desc {
				want = tc.desc
			}
			seq, total, err := l.SortedTracks(tc.key, desc, 0, 100)
			if err != nil || total != 5 {
				t.Fatalf("SortedTracks(%q, %v): total %d, %v", tc.key, desc, total, err)
			}
			var got []string
			for tr := range seq {
				got = append(got, tr.Path)
			}
			if !slices.Equal(got, want) {
				t.Errorf("SortedTracks(%q, desc %v) = %q, want %q", tc.key, desc, got, want)
			}
			seq, _, _ = l.SortedTracks(tc.key, desc, 3, 1)
			for tr := range seq {
				if tr.Path != want[3] {
					t.Errorf("SortedTracks(%q, desc %v) offset 3 limit 1 = %q, want %q", tc.key, desc, tr.Path, want[3])
				}
			}
		}
	}
	if _, _, err := l.SortedTracks("colour", false, 0, 1); !errors.Is(err, ErrUnknownSort) {
		t.Errorf("SortedTracks(colour): %v, want ErrUnknownSort", err)
	}
}

// TestSortedTracksLarge checks on a synthetic library that every sort is a
// permutation of the library whose neighbours are in order.
func TestSortedTracksLarge(t *testing.T) {
	tracks := syntheticTracks(3000)
	for i := range tracks {
		tracks[i].ModTime = time.Unix(int64(i*7919%3001), 0)
	}
	l := New(Options{})
	l.replace(Source{Name: "synthetic"}, tracks, nil)
	lib := l.Tracks()
	pos := map[string]int{}
	for i, tr := range lib {
		pos[tr.ID] = i
	}
	keys := map[string]func(a, b *Track) int{
		"title":    func(a, b *Track) int { return compareNatural(sortKey(a.Title), sortKey(b.Title)) },
		"artist":   func(a, b *Track) int { return compareNatural(sortKey(a.Artist), sortKey(b.Artist)) },
		"album":    func(a, b *Track) int { return compareNatural(sortKey(a.Album), sortKey(b.Album)) },
		"year":     func(a, b *Track) int { return cmp.Compare(a.Year, b.Year) },
		"added":    func(a, b *Track) int { return a.ModTime.Compare(b.ModTime) },
		"duration": func(a, b *Track) int { return cmp.Compare(a.Duration, b.Duration) },
	}
	for key, compare := range keys {
		for _, desc := range []bool{false, true} {
			seq, _, err := l.SortedTracks(key, desc, 0, len(lib))
			if err != nil {
				t.Fatal(err)
			}
			var got []Track
			for tr := range seq {
				got = append(got, tr)
			}
			if len(got) != len(lib) {
				t.Fatalf("%s: %d tracks, want %d", key, len(got), len(lib))
			}
			seen := map[string]bool{}
			for i := range got {
				seen[got[i].ID] = true
				if i == 0 {
					continue
				}
				c := compare(&got[i-1], &got[i])
				if desc {
					c = -c
				}
				if c > 0 || c == 0 && pos[got[i-1].ID] > pos[got[i].ID] {
					t.Fatalf("%s desc %v: %q before %q", key, desc, got[i-1].Path, got[i].Path)
				}
			}
			if len(seen) != len(lib) {
				t.Errorf("%s desc %v: %d distinct tracks, want %d", key, desc, len(seen), len(lib))
			}
		}
	}
}

func TestSortedAlbums(t *testing.T) {
	l := syntheticLibrary(3000)
	all := l.Albums()
	ids := func(as []Album) []string {
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.ID
		}
		return out
	}
	r1, _ := l.SortedAlbums("random", false, 7)
	r2, _ := l.SortedAlbums("random", true, 7)
	r3, _ := l.SortedAlbums("random", false, 8)
	if !slices.Equal(ids(r1), ids(r2)) {
		t.Error("random with the same seed gave two orders")
	}
	if slices.Equal(ids(r1), ids(r3)) || slices.Equal(ids(r1), ids(all)) {
		t.Error("random with seeds 7 and 8 (or library order) gave the same order")
	}
	if a, b := slices.Sorted(slices.Values(ids(r1))), slices.Sorted(slices.Values(ids(all))); !slices.Equal(a, b) {
		t.Error("random is not a permutation of the albums")
	}
	checks := map[string]func(a, b Album) int{
		"name": func(a, b Album) int { return compareNatural(sortKey(a.Title), sortKey(b.Title)) },
		"artist": func(a, b Album) int {
			return cmp.Or(compareNatural(sortKey(a.Artist), sortKey(b.Artist)), compareNatural(sortKey(a.Title), sortKey(b.Title)))
		},
		"year":  func(a, b Album) int { return cmp.Compare(a.Year, b.Year) },
		"added": func(a, b Album) int { return a.Added.Compare(b.Added) },
	}
	for key, compare := range checks {
		for _, desc := range []bool{false, true} {
			got, err := l.SortedAlbums(key, desc, 0)
			if err != nil || len(got) != len(all) {
				t.Fatalf("%s: %d albums, %v", key, len(got), err)
			}
			for i := 1; i < len(got); i++ {
				c := compare(got[i-1], got[i])
				if desc {
					c = -c
				}
				if c > 0 {
					t.Fatalf("%s desc %v: %q before %q", key, desc, got[i-1].Title, got[i].Title)
				}
			}
		}
	}
	if _, err := l.SortedAlbums("colour", false, 0); !errors.Is(err, ErrUnknownSort) {
		t.Errorf("SortedAlbums(colour): %v, want ErrUnknownSort", err)
	}
}

// TestArtistAlbumsByYear checks that an artist's albums come oldest first.
func TestArtistAlbumsByYear(t *testing.T) {
	l := syntheticLibrary(3000)
	checked := 0
	for _, a := range l.Artists() {
		d, err := l.Artist(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(d.Albums); i++ {
			checked++
			if compareYears(d.Albums[i-1].Year, d.Albums[i].Year) > 0 {
				t.Fatalf("%s: %d before %d", a.Name, d.Albums[i-1].Year, d.Albums[i].Year)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no artist with two albums")
	}
	if compareYears(0, 1990) <= 0 || compareYears(1980, 1990) >= 0 {
		t.Error("compareYears: unknown years go last, then ascending")
	}
}

// TestNaturalKey checks that the keys the song sorts compare byte by byte
// order as compareNatural orders the folded text, numbers differing only
// in leading zeros being equal.
func TestNaturalKey(t *testing.T) {
	ordered := []string{"", "1", "2", "02", "10", "a", "Track", "track 1", "TRACK 2", "track 2b", "Track 10", "track 010a", "Tracks", "Éclair 9", "eclair 10"}
	var f folder
	for _, a := range ordered {
		for _, b := range ordered {
			ka, kb := string(appendNaturalKey(nil, &f, a)), string(appendNaturalKey(nil, &f, b))
			want := compareNatural(sortKey(a), sortKey(b))
			if strings.TrimLeft(a, "0") == strings.TrimLeft(b, "0") {
				want = 0
			}
			if got := strings.Compare(ka, kb); got != want {
				t.Errorf("keys of %q and %q compare %d, want %d", a, b, got, want)
			}
		}
	}
}
