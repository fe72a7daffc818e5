package player

import (
	"earshot/player/probe"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFoldWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  -- / ", nil},
		{"Sigur Rós", []string{"sigur", "ros"}},
		{"Beyoncé", []string{"beyonce"}},
		{"Beyonce\u0301", []string{"beyonce"}}, // already decomposed
		{"BJÖRK", []string{"bjork"}},
		{"Straße", []string{"strasse"}},
		{"Ærøskøbing Łódź", []string{"aeroskobing", "lodz"}},
		{"Œuvre Þór", []string{"oeuvre", "thor"}},
		{"İstanbul", []string{"istanbul"}},
		{"Don't Stop Me Now", []string{"dont", "stop", "me", "now"}},
		{"Don’t", []string{"dont"}},
		{"AC/DC", []string{"ac", "dc"}},
		{"Takk...", []string{"takk"}},
		{"ﬁre", []string{"fire"}},       // ligature (NFKD)
		{"ＡＢＣ ２", []string{"abc", "2"}}, // full width (NFKD)
		{"千と千尋", []string{"千", "と", "千", "尋"}},
		{"Мумий Тролль", []string{"мумии", "тролль"}}, // й loses its breve like any mark
		{"R&B", []string{"r", "b"}},
	}
	for _, tc := range tests {
		if got := foldWords(nil, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("foldWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCompareFold(t *testing.T) {
	tests := []struct {
		a, b string
	}{
		{"", ""}, {"a", ""}, {"", "a"}, {"abc", "ABD"}, {"ABC", "abc"}, {"Zed", "alpha"},
		{"Émile", "emile"}, {"Émile", "éMILE"}, {"ß", "SS"}, {"a\xffb", "A\xffB"}, {"Ω", "ω"}, {"x", "xy"},
	}
	sign := func(n int) int { return min(max(n, -1), 1) }
	for _, tc := range tests {
		want := strings.Compare(lower(tc.a), lower(tc.b))
		if got := compareFold(tc.a, tc.b); sign(got) != want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tc.a, tc.b, got, want)
		}
	}
}

// syllables make up the words of the synthetic library, some with
// diacritics and letters that fold to two.
var syllables = []string{
	"ka", "lo", "mi", "rés", "to", "ñu", "bel", "sø", "ra", "vin", "dor", "ü", "za", "pe",
	"quo", "ßa", "li", "ná", "go", "fe", "ri", "tha", "mo", "ké", "sa", "lu", "ve", "dri",
}

func word(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(3) {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	s := b.String()
	if r.IntN(4) == 0 {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

func phrase(r *rand.Rand, most int) string {
	words := make([]string, 1+r.IntN(most))
	for i := range words {
		words[i] = word(r)
	}
	return strings.Join(words, " ")
}

// syntheticTracks returns n made-up tracks: about 2,000 album artists with
// albums of 8 to 16 tracks, some of them compilations.
func syntheticTracks(n int) []Track {
	r := rand.New(rand.NewPCG(1, 2))
	artists := make([]string, max(1, n/25))
	for i := range artists {
		artists[i] = phrase(r, 2)
	}
	genres := []string{"Rock", "Pop", "Jazz", "Électro", "Folk", "Hip-Hop", ""}
	tracks := make([]Track, 0, n)
	for album := 0; len(tracks) < n; album++ {
		artist := artists[r.IntN(len(artists))]
		title, albumArtist := phrase(r, 3), ""
		compilation := r.IntN(20) == 0
		if compilation {
			albumArtist = "Various Artists"
		}
		genre, year := genres[r.IntN(len(genres))], 1960+r.IntN(65)
		for tn := 1; tn <= 8+r.IntN(9) && len(tracks) < n; tn++ {
			a := artist
			if compilation {
				a = artists[r.IntN(len(artists))]
			}
			p := fmt.Sprintf("%s/%s %d/%02d.flac", artist, title, album, tn)
			tracks = append(tracks, Track{
				ID: TrackID(p), Path: p, Title: phrase(r, 4), Artist: a, Album: title, AlbumArtist: albumArtist,
				TrackNumber: tn, Year: year, Genre: genre, Duration: 180 + float64(r.IntN(200)), Format: probe.FLAC,
			})
		}
	}
	return tracks
}

// syntheticLibrary returns a library of n synthetic tracks, indexed as a
// scan would index them.
func syntheticLibrary(n int) *Library {
	l := New(Options{})
	l.replace(Source{Name: "synthetic"}, syntheticTracks(n), nil)
	return l
}

// queries returns n varied queries: prefixes of one or two words of real
// titles, artists and albums, typed without accents or in upper case, and
// some that match nothing.
func queries(l *Library, n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	tracks := l.Tracks()
	out := make([]string, n)
	for i := range out {
		t := tracks[r.IntN(len(tracks))]
		src := []string{t.Title, t.Artist, t.Album}[r.IntN(3)]
		words := foldWords(nil, src)
		var q []string
		for _, w := range words[:min(len(words), 1+r.IntN(2))] {
			q = append(q, w[:1+r.IntN(len(w))])
		}
		switch r.IntN(10) {
		case 0:
			q = []string{"zzqx"}
		case 1:
			q = append(q, "ka")
		case 2:
			q[0] = strings.ToUpper(q[0])
		}
		out[i] = strings.Join(q, " ")
	}
	return out
}

// TestSearchIndexMatchesBruteForce checks the inverted index against a
// plain scan of every track's folded words: every query word inside one of
// them for [Library.SearchAll], with the matches of every query word at a
// word's start ranked before the matches only inside words; and
// [Library.Search] returns the same tracks in the same order.
func TestSearchIndexMatchesBruteForce(t *testing.T) {
	l := syntheticLibrary(3000)
	tracks := l.Tracks()
	words := make([][]string, len(tracks))
	for i, tr := range tracks {
		for _, f := range []string{tr.Title, tr.Artist, tr.Album, tr.AlbumArtist, tr.Genre, yearWord(tr.Year)} {
			words[i] = foldWords(words[i], f)
		}
	}
	for _, q := range queries(l, 200) {
		want, prefix := map[string]bool{}, map[string]bool{}
		for i, tr := range tracks {
			inside, starts := true, true
			for _, qw := range foldWords(nil, q) {
				inside = inside && slices.ContainsFunc(words[i], func(w string) bool { return strings.Contains(w, qw) })
				starts = starts && slices.ContainsFunc(words[i], func(w string) bool { return strings.HasPrefix(w, qw) })
			}
			want[tr.ID], prefix[tr.ID] = inside, starts
			if !inside {
				delete(want, tr.ID)
			}
		}
		got := l.SearchAll(q, 0).Tracks
		seenInside := false
		for _, tr := range got {
			if !want[tr.ID] {
				t.Errorf("SearchAll(%q) returned %q, which does not match", q, tr.Title)
			}
			if seenInside && prefix[tr.ID] {
				t.Errorf("SearchAll(%q) ranks %q, a match at a word's start, after a match inside a word", q, tr.Title)
			}
			seenInside = seenInside || !prefix[tr.ID]
		}
		if len(got) != len(want) {
			t.Errorf("SearchAll(%q) returned %d tracks, want %d", q, len(got), len(want))
		}
		if all, ids := trackIDs(l.Search(q)), trackIDs(got); !slices.Equal(all, ids) {
			t.Errorf("Search(%q) = %d tracks, not SearchAll's %d in its order", q, len(all), len(ids))
		}
	}
}

// BenchmarkSearch50k measures [Library.SearchAll] with the web's limit over
// a 50,000-track library, cycling through 1,000 varied queries, and
// reports the 95th percentile of their latencies as p95-ns.
func BenchmarkSearch50k(b *testing.B) {
	l := syntheticLibrary(50_000)
	qs := queries(l, 1000)
	i := 0
	for b.Loop() {
		l.SearchAll(qs[i%len(qs)], 100)
		i++
	}
	b.StopTimer()
	lat := make([]time.Duration, len(qs))
	for i, q := range qs {
		start := time.Now()
		l.SearchAll(q, 100)
		lat[i] = time.Since(start)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*95/100]), "p95-ns")
	b.ReportMetric(float64(lat[len(lat)-1]), "max-ns")
}

// BenchmarkSearchAllTracks50k measures [Library.Search], which returns every
// matching track, over the same library and queries.
func BenchmarkSearchAllTracks50k(b *testing.B) {
	l := syntheticLibrary(50_000)
	qs := queries(l, 1000)
	i := 0
	for b.Loop() {
		l.Search(qs[i%len(qs)])
		i++
	}
}

// BenchmarkReplace50k measures what every scan adds: sorting 50,000 tracks
// and deriving albums, artists, genres, folders and search indexes.
func BenchmarkReplace50k(b *testing.B) {
	tracks := syntheticTracks(50_000)
	l := New(Options{})
	for b.Loop() {
		b.StopTimer()
		in := slices.Clone(tracks)
		b.StartTimer()
		l.replace(Source{Name: "synthetic"}, in, nil)
	}
}

// BenchmarkBrowse50k measures the browsing calls the web pages make.
func BenchmarkBrowse50k(b *testing.B) {
	l := syntheticLibrary(50_000)
	albums, artists := l.Albums(), l.Artists()
	calls := []struct {
		name string
		f    func(i int)
	}{
		{"Albums", func(int) { l.Albums() }},
		{"Album", func(i int) { l.Album(albums[i%len(albums)].ID) }},
		{"Artists", func(int) { l.Artists() }},
		{"Artist", func(i int) { l.Artist(artists[i%len(artists)].ID) }},
		{"Genres", func(int) { l.Genres() }},
		{"FolderRoot", func(int) { l.Folder("") }},
	}
	for _, c := range calls {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				c.f(i)
				i++
			}
		})
	}
}

// TestSortTracksLikeCompareTracks checks that the fast sort of every scan
// gives the order [compareTracks] defines.
func TestSortTracksLikeCompareTracks(t *testing.T) {
	tracks := syntheticTracks(3000)
	extra := []Track{
		{Path: "1", Artist: "émile", Album: "B"}, {Path: "2", Artist: "Émile", Album: "a"},
		{Path: "3", Artist: "x", AlbumArtist: "ÉMILE", Album: "A", DiscNumber: 2},
		{Path: "4", Artist: "Zoë", Album: "\xff"}, {Path: "5", Artist: "zoë", Album: "\ufffd", Title: "b"},
		{Path: "6", Artist: "zoë", Album: "\ufffd", Title: "A"}, {Path: "0", Artist: "zoë", Album: "\ufffd", Title: "a"},
	}
	tracks = append(tracks, extra...)
	r := rand.New(rand.NewPCG(5, 6))
	r.Shuffle(len(tracks), func(i, j int) { tracks[i], tracks[j] = tracks[j], tracks[i] })
	want := slices.Clone(tracks)
	slices.SortFunc(want, compareTracks)
	sortTracks(tracks)
	for i := range tracks {
		if tracks[i].Path != want[i].Path {
			t.Fatalf("sortTracks: track %d is %q, compareTracks puts %q there", i, tracks[i].Path, want[i].Path)
		}
	}
}

// TestSortTracksInPlace checks the two shortcuts of sortTracks: tracks
// already in order (as a restore loads them) are recognised and kept, and
// a shuffled list with videos among the music is moved into the order of
// compareSorted in place.
func TestSortTracksInPlace(t *testing.T) {
	tracks := syntheticTracks(2000)
	for i := range 40 {
		tracks = append(tracks, Track{Path: fmt.Sprintf("v/%02d.mp4", i), Title: fmt.Sprintf("Clip %d", i%7), Video: true})
	}
	r := rand.New(rand.NewPCG(7, 8))
	r.Shuffle(len(tracks), func(i, j int) { tracks[i], tracks[j] = tracks[j], tracks[i] })
	if sortedTracks(tracks) {
		t.Fatal("sortedTracks: a shuffled list counts as sorted")
	}
	want := slices.Clone(tracks)
	slices.SortStableFunc(want, func(a, b Track) int { return compareSorted(&a, &b) })
	sortTracks(tracks)
	if !sortedTracks(tracks) {
		t.Fatal("sortedTracks: false after sortTracks")
	}
	for i := range tracks {
		if tracks[i].Path != want[i].Path {
			t.Fatalf("sortTracks: track %d is %q, want %q", i, tracks[i].Path, want[i].Path)
		}
	}
	if i := slices.IndexFunc(tracks, func(t Track) bool { return t.Video }); i != len(tracks)-40 {
		t.Errorf("first video at %d, want %d: videos come after the music", i, len(tracks)-40)
	}
	again := slices.Clone(tracks)
	sortTracks(again)
	if !slices.EqualFunc(again, tracks, func(a, b Track) bool { return a.Path == b.Path }) {
		t.Error("sortTracks changed the order of sorted tracks")
	}
}

// TestPermute checks permute against building the permuted list anew.
func TestPermute(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 2, 3, 10, 257} {
		perm := make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		r.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		s := make([]int, n)
		for i := range s {
			s[i] = i * 10
		}
		want := make([]int, n)
		for i, p := range perm {
			want[i] = s[p]
		}
		permute(s, slices.Clone(perm))
		if !slices.Equal(s, want) {
			t.Errorf("permute(n=%d, %v) = %v, want %v", n, perm, s, want)
		}
	}
}

// FuzzSearch checks that any title, typed back as a query, finds its track
// among others, and that folding never panics on any input.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"Sigur Rós", "Beyoncé", "Straße", "千と千尋", "\xff\xfe", "e\u0301\u0301", "'", "ﬁ ＡＢＣ", "İ ẞ Ω"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		l := New(Options{})
		l.replace(Source{Name: "fuzz"}, []Track{
			{ID: "a", Path: "a.flac", Title: title, Artist: "X"},
			{ID: "b", Path: "b.flac", Title: "other", Artist: "Y"},
		}, nil)
		if !slices.ContainsFunc(l.Search(title), func(t Track) bool { return t.ID == "a" }) {
			t.Errorf("Search(%q) does not find the track titled so (words %q)", title, foldWords(nil, title))
		}
		l.SearchAll(title, 1)
	})
}

// TestBuildViewsLater checks that views built in the background are
// those buildViews builds, and that a library restored with them answers
// browsing and search as soon as Restore returns (view waits for them).
func TestBuildViewsLater(t *testing.T) {
	tracks := syntheticTracks(3000)
	tracks = append(tracks, Track{Path: "v/a.mp4", Title: "Clip", Video: true})
	sortTracks(tracks)
	want := buildViews(tracks)
	got := buildViewsLater(tracks)
	if len(got.tracks) != 3000 || len(got.videos) != 1 {
		t.Fatalf("buildViewsLater: %d tracks and %d videos before the build, want 3000 and 1", len(got.tracks), len(got.videos))
	}
	<-got.ready
	got.ready = nil
	if !reflect.DeepEqual(got, want) {
		t.Error("buildViewsLater built other views than buildViews")
	}

	l := New(Options{})
	l.replace(Source{Name: "s"}, slices.Clone(tracks), nil)
	if n := len(l.Albums()); n != len(want.albums) || n == 0 {
		t.Errorf("Albums right after replace: %d, want %d", n, len(want.albums))
	}
	n := 0
	for range want.trackIdx.search(tracks[0].Title, 0, false) {
		n++
	}
	if got := len(l.Search(tracks[0].Title)); got != n || got == 0 {
		t.Errorf("Search right after replace: %d tracks, want %d", got, n)
	}
}

// trackIDs returns the IDs of ts, in order.
func trackIDs(ts []Track) []string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}
