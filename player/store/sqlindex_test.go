package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// ixTrack returns track i of a made-up library with every field set, as a
// scan would fill it.
func ixTrack(i int) player.Track {
	album := i / 12
	p := fmt.Sprintf("Artist %03d/Album %05d/%02d Song number %d.flac", album%400, album, i%12+1, i)
	return player.Track{
		ID:          player.TrackID(p),
		Title:       fmt.Sprintf("Song number %d", i),
		Artist:      fmt.Sprintf("Artist %03d", album%400),
		Album:       fmt.Sprintf("Album %05d", album),
		AlbumArtist: fmt.Sprintf("Artist %03d", album%400),
		TrackNumber: i%12 + 1,
		TrackTotal:  12,
		DiscNumber:  1,
		DiscTotal:   1,
		Year:        1960 + album%60,
		Genre:       []string{"Rock", "Jazz", "Électronique", "古典"}[album%4],
		Duration:    120 + float64(i%300) + 0.25,
		Format:      probe.FLAC,
		MIMEType:    probe.FLAC.MIMEType(),
		Size:        20_000_000 + int64(i)*7,
		Path:        p,
		HasCover:    true,
		ModTime:     time.Unix(1_700_000_000+int64(i), int64(i)*7919%1_000_000_000),

		CoverEmbedded: i%2 == 0,
		CoverFile:     fmt.Sprintf("Artist %03d/Album %05d/cover.jpg", album%400, album),
	}
}

// ixTracks returns tracks first to first+n-1 of [ixTrack]'s library.
func ixTracks(first, n int) []player.Track {
	ts := make([]player.Track, n)
	for i := range ts {
		ts[i] = ixTrack(first + i)
	}
	return ts
}

// openTestIndex opens an index in a new temporary folder, closed when the
// test ends.
func openTestIndex(tb testing.TB) *SQLiteIndex {
	tb.Helper()
	ix, err := OpenIndex(filepath.Join(tb.TempDir(), "cache", "earshot", "library.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// byPath sorts a copy of tracks by path, so that sets compare equal.
func byPath(tracks []player.Track) []player.Track {
	if tracks == nil {
		return nil
	}
	s := slices.Clone(tracks)
	slices.SortFunc(s, func(a, b player.Track) int { return cmp.Compare(a.Path, b.Path) })
	return s
}

// checkLoad fails t unless ix holds exactly tracks (in any order) and
// problems (in order) for name.
func checkLoad(t *testing.T, ix *SQLiteIndex, name string, tracks []player.Track, problems []string) {
	t.Helper()
	got, gotProblems, err := ix.Load(name)
	if err != nil {
		t.Fatalf("Load(%q): %v", name, err)
	}
	if len(tracks) == 0 {
		tracks = nil
	}
	if got, want := byPath(got), byPath(tracks); !reflect.DeepEqual(got, want) {
		if len(got) != len(want) {
			t.Fatalf("Load(%q) = %d tracks, want %d", name, len(got), len(want))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("Load(%q) track %d =\n%#v\nwant\n%#v", name, i, got[i], want[i])
			}
		}
	}
	if len(problems) == 0 {
		problems = nil
	}
	if !reflect.DeepEqual(gotProblems, problems) {
		t.Fatalf("Load(%q) problems = %q, want %q", name, gotProblems, problems)
	}
}

// TestSQLiteIndexRoundTrip checks that every field of every track, and the
// problems, come back from Save then Load exactly — also after the index
// is closed and opened again.
func TestSQLiteIndexRoundTrip(t *testing.T) {
	full := ixTrack(1)
	full.Title, full.Artist, full.Album = "Ünïcödé — “quoted” 'single' 🎵", "Björk; Sigur Rós", "東京事変 / 교향곡"
	full.Path = "Björk/Homogenic/01 Hunter.flac"
	full.ID = player.TrackID(full.Path)
	full.NeedsFFmpeg = true
	tests := map[string]struct {
		tracks   []player.Track
		problems []string
	}{
		"every field": {
			tracks:   []player.Track{full, ixTrack(2)},
			problems: []string{"a.mp3: corrupt file", "ü/ß.flac: permission denied"},
		},
		"zero values and empty strings": {
			tracks: []player.Track{{}, {Path: "only a path.mp3"}},
		},
		"huge numbers": {
			tracks: []player.Track{
				{
					Path: "max", TrackNumber: math.MaxInt, TrackTotal: math.MaxInt, DiscNumber: math.MaxInt,
					DiscTotal: math.MaxInt, Year: math.MaxInt, Duration: math.MaxFloat64, Size: math.MaxInt64,
					ModTime: time.Unix(0, math.MaxInt64), HasCover: true, CoverEmbedded: true,
				},
				{
					Path: "min", TrackNumber: math.MinInt, TrackTotal: -1, DiscNumber: math.MinInt,
					DiscTotal: -1, Year: math.MinInt, Duration: -math.SmallestNonzeroFloat64, Size: math.MinInt64,
					ModTime: time.Unix(0, math.MinInt64),
				},
				{Path: "inf", Duration: math.Inf(1), ModTime: time.Unix(0, 0)},
				{Path: "tiny", Duration: math.SmallestNonzeroFloat64, ModTime: time.Unix(-1, 999_999_999)},
			},
		},
		"bytes that are not UTF-8 or contain NUL": {
			tracks:   []player.Track{{Path: "bad\xff\xfename.mp3", Title: "nul\x00inside", Genre: "\x00", CoverFile: "\xc3"}},
			problems: []string{"", "\xff\x00", "line\nbreak"},
		},
		"problems only": {
			problems: []string{"music: permission denied"},
		},
		"nothing": {},
		"a large library": {
			tracks:   ixTracks(0, 3017), // 60 full INSERT batches and 17 rows
			problems: []string{"x: unreadable", "y: unreadable"},
		},
	}
	path := filepath.Join(t.TempDir(), "library.db")
	ix, err := OpenIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	for name, tc := range tests {
		if err := ix.Save(name, tc.tracks, tc.problems); err != nil {
			t.Fatalf("Save(%q): %v", name, err)
		}
		t.Run(name, func(t *testing.T) { checkLoad(t, ix, name, tc.tracks, tc.problems) })
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = OpenIndex(path); err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run("reopened/"+name, func(t *testing.T) { checkLoad(t, ix, name, tc.tracks, tc.problems) })
	}
}

// TestSQLiteIndexNormalises checks the documented changes Save and Load
// make: times come back local, without a monotonic reading, and NaN is 0.
func TestSQLiteIndexNormalises(t *testing.T) {
	now := time.Now() // has a monotonic reading
	utc := time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.UTC)
	tests := []struct {
		name     string
		in, want player.Track
	}{
		{"monotonic time", player.Track{Path: "a", ModTime: now}, player.Track{Path: "a", ModTime: time.Unix(0, now.UnixNano())}},
		{"UTC time", player.Track{Path: "a", ModTime: utc}, player.Track{Path: "a", ModTime: time.Unix(0, utc.UnixNano())}},
		{"time before 1677", player.Track{Path: "a", ModTime: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}, player.Track{Path: "a"}},
		{"time after 2262", player.Track{Path: "a", ModTime: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, player.Track{Path: "a"}},
		{"NaN duration", player.Track{Path: "a", Duration: math.NaN()}, player.Track{Path: "a"}},
	}
	ix := openTestIndex(t)
	for _, tc := range tests {
		if err := ix.Save("lib", []player.Track{tc.in}, nil); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, _, err := ix.Load("lib")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], tc.want) {
			t.Errorf("%s: Load = %#v, want %#v", tc.name, got, tc.want)
		}
		if !got[0].ModTime.Equal(tc.want.ModTime) {
			t.Errorf("%s: ModTime %v, want %v", tc.name, got[0].ModTime, tc.want.ModTime)
		}
	}
}

// TestSQLiteIndexSources checks that sources are kept apart, that Save
// replaces only its own source, and that an unknown source loads as nothing.
func TestSQLiteIndexSources(t *testing.T) {
	ix := openTestIndex(t)
	a, b := ixTracks(0, 40), ixTracks(1000, 25)
	steps := []struct {
		name           string
		source         string
		tracks         []player.Track
		problems       []string
		wantA, wantB   []player.Track
		wantPA, wantPB []string
	}{
		{"save a", "/music", a, []string{"a1"}, a, nil, []string{"a1"}, nil},
		{"save b", "Demo library", b, []string{"b1", "b2"}, a, b, []string{"a1"}, []string{"b1", "b2"}},
		{"replace a", "/music", a[:10], nil, a[:10], b, nil, []string{"b1", "b2"}},
		{"empty b", "Demo library", nil, nil, a[:10], nil, nil, nil},
	}
	for _, s := range steps {
		if err := ix.Save(s.source, s.tracks, s.problems); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		t.Run(s.name, func(t *testing.T) {
			checkLoad(t, ix, "/music", s.wantA, s.wantPA)
			checkLoad(t, ix, "Demo library", s.wantB, s.wantPB)
			checkLoad(t, ix, "/never/saved", nil, nil)
		})
	}
}

// TestSQLiteIndexConcurrent saves and loads from several goroutines (run it
// with -race) and checks that a load sees one whole save, never a mix.
func TestSQLiteIndexConcurrent(t *testing.T) {
	ix := openTestIndex(t)
	const workers, rounds = 6, 15
	// version v of a source has 50+v tracks, each with Genre v.
	version := func(v int) []player.Track {
		ts := ixTracks(v*100, 50+v)
		for i := range ts {
			ts[i].Genre = fmt.Sprint(v)
		}
		return ts
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*rounds)
	for w := range workers {
		wg.Go(func() {
			source := fmt.Sprint("source ", w%2)
			for r := range rounds {
				if w < 3 {
					if err := ix.Save(source, version(r), []string{fmt.Sprint(r)}); err != nil {
						errs <- err
					}
					continue
				}
				tracks, problems, err := ix.Load(source)
				if err != nil {
					errs <- err
					continue
				}
				if tracks == nil {
					continue // nothing saved yet
				}
				v := tracks[0].Genre
				n := 0
				fmt.Sscan(v, &n)
				if len(tracks) != 50+n || !slices.Equal(problems, []string{v}) {
					errs <- fmt.Errorf("load saw %d tracks and problems %q, want version %s", len(tracks), problems, v)
				}
				for _, tr := range tracks {
					if tr.Genre != v {
						errs <- fmt.Errorf("load mixed versions %s and %s", v, tr.Genre)
						break
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// ixSchemaV1 is the schema of the first release of the index, as a v1
// database holds it: no disc totals, no problems table.
const ixSchemaV1 = `
CREATE TABLE sources (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE tracks (
	source_id      INTEGER NOT NULL REFERENCES sources (id),
	path           TEXT NOT NULL,
	id             TEXT NOT NULL,
	title          TEXT NOT NULL,
	artist         TEXT NOT NULL,
	album          TEXT NOT NULL,
	album_artist   TEXT NOT NULL,
	track_number   INTEGER NOT NULL,
	track_total    INTEGER NOT NULL,
	disc_number    INTEGER NOT NULL,
	year           INTEGER NOT NULL,
	genre          TEXT NOT NULL,
	duration       REAL,
	format         TEXT NOT NULL,
	mime_type      TEXT NOT NULL,
	size           INTEGER NOT NULL,
	mod_time       INTEGER,
	has_cover      INTEGER NOT NULL,
	cover_embedded INTEGER NOT NULL,
	cover_file     TEXT NOT NULL
);
CREATE INDEX tracks_by_source ON tracks (source_id);
PRAGMA user_version = 1;`

// TestSQLiteIndexMigratesV1 builds a version 1 database by hand, opens it,
// and checks that it is migrated in place with its tracks kept.
func TestSQLiteIndexMigratesV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	want := ixTracks(0, 30)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{ixSchemaV1, `INSERT INTO sources (id, name) VALUES (7, '/music'), (8, 'other')`}
	for _, q := range stmts {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i := range want {
		want[i].DiscTotal = 0 // version 1 kept none
		tr := want[i]
		_, err := tx.Exec(`INSERT INTO tracks VALUES (7, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tr.Path, tr.ID, tr.Title, tr.Artist, tr.Album, tr.AlbumArtist,
			tr.TrackNumber, tr.TrackTotal, tr.DiscNumber, tr.Year, tr.Genre,
			tr.Duration, string(tr.Format), tr.MIMEType, tr.Size, tr.ModTime.UnixNano(),
			tr.HasCover, tr.CoverEmbedded, tr.CoverFile)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ix := openMigrated(t, path)
	var version int
	if err := ix.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != indexSchemaVersion {
		t.Fatalf("user_version = %d, %v; want %d", version, err, indexSchemaVersion)
	}
	for i := range want {
		want[i].ModTime = time.Time{} // version 6 reads music again
	}
	checkLoad(t, ix, "/music", want, nil)
	checkLoad(t, ix, "other", nil, nil)

	// The migrated database takes what version 2 added.
	want[0].DiscTotal = 3
	if err := ix.Save("/music", want, []string{"x.mp3: corrupt"}); err != nil {
		t.Fatal(err)
	}
	checkLoad(t, ix, "/music", want, []string{"x.mp3: corrupt"})
}

// TestSQLiteIndexMigratesV2 builds a version 2 database (as the first two
// migrations make it) holding songs, among them an .mp4, opens it, and
// checks that it is migrated in place with every track kept as audio, the
// .mp4 and .webm files' modification times forgotten (so that the next scan reads
// them again and finds the videos among them), as version 6 forgets those
// of all music (to read lyrics and cue sheets); and
// that the migrated database keeps videos with their picture size and the
// tracks that need ffmpeg.
func TestSQLiteIndexMigratesV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	want := ixTracks(0, 30)
	for _, i := range []int{3, 17} {
		want[i].Path = strings.TrimSuffix(want[i].Path, ".flac") + ".MP4"
		want[i].ID = player.TrackID(want[i].Path)
		want[i].Format, want[i].MIMEType = probe.M4A, probe.M4A.MIMEType()
	}
	// Version 4 reads audio-only WebM files again: they are songs now.
	want[9].Path = strings.TrimSuffix(want[9].Path, ".flac") + ".webm"
	want[9].ID = player.TrackID(want[9].Path)
	want[9].Format, want[9].MIMEType = probe.WebM, probe.WebM.MIMEType()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(slices.Clone(indexMigrations[:2]), `PRAGMA user_version = 2`,
		`INSERT INTO sources (id, name, track_count) VALUES (7, '/music', 30)`) {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, tr := range want {
		_, err := tx.Exec(`INSERT INTO tracks (source_id, path, id, title, artist, album, album_artist,
			track_number, track_total, disc_number, disc_total, year, genre, duration, format, mime_type,
			size, mod_time, has_cover, cover_embedded, cover_file)
			VALUES (7, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tr.Path, tr.ID, tr.Title, tr.Artist, tr.Album, tr.AlbumArtist,
			tr.TrackNumber, tr.TrackTotal, tr.DiscNumber, tr.DiscTotal, tr.Year, tr.Genre,
			tr.Duration, string(tr.Format), tr.MIMEType, tr.Size, tr.ModTime.UnixNano(),
			tr.HasCover, tr.CoverEmbedded, tr.CoverFile)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	ix := openMigrated(t, path)
	var version int
	if err := ix.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != indexSchemaVersion {
		t.Fatalf("user_version = %d, %v; want %d", version, err, indexSchemaVersion)
	}
	for i := range want {
		want[i].ModTime = time.Time{} // read again by the next scan
	}
	checkLoad(t, ix, "/music", want, nil)

	// The migrated database keeps what version 3 added.
	want[5].Video, want[5].Width, want[5].Height = true, 1920, 1080
	want[5].Format, want[5].MIMEType = probe.WebM, probe.WebM.MIMEType()
	// and what version 4 added.
	want[6].NeedsFFmpeg = true
	if err := ix.Save("/music", want, nil); err != nil {
		t.Fatal(err)
	}
	checkLoad(t, ix, "/music", want, nil)
}

// TestSQLiteIndexMigrationSteps checks that every schema version the index
// has had migrates to the current one and then takes a save.
func TestSQLiteIndexMigrationSteps(t *testing.T) {
	for from := range indexSchemaVersion + 1 {
		t.Run(fmt.Sprint("from version ", from), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "library.db")
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range indexMigrations[:from] {
				if _, err := db.Exec(m); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, from)); err != nil {
				t.Fatal(err)
			}
			db.Close()
			ix := openMigrated(t, path)
			if err := ix.Save("lib", ixTracks(0, 3), []string{"p"}); err != nil {
				t.Fatal(err)
			}
			checkLoad(t, ix, "lib", ixTracks(0, 3), []string{"p"})
		})
	}
}

// When a damaged index file is found, in TestSQLiteIndexRecovers.
const (
	foundNever = iota // the file is usable
	foundAtOpen
	foundAtLoad
	foundAtSave
)

// TestSQLiteIndexRecovers checks that a file that is not a usable index is
// moved aside, kept as it was, and replaced with a working empty index,
// whether the damage shows when opening, loading or saving.
func TestSQLiteIndexRecovers(t *testing.T) {
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rand.N(256))
	}
	write := func(data []byte) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	// realIndex writes an index holding a few thousand tracks to path and
	// returns its size in bytes.
	realIndex := func(t *testing.T, path string) int64 {
		ix, err := OpenIndex(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Save("lib", ixTracks(0, 1500), []string{"p"}); err != nil {
			t.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	// overwritten writes a real index, then 0xff over its middle half:
	// the schema is intact, so the damage shows only when tracks are read.
	overwritten := func(t *testing.T, path string) {
		size := realIndex(t, path)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteAt(bytes.Repeat([]byte{0xff}, int(size/2)), size/4); err != nil {
			t.Fatal(err)
		}
	}
	// sqliteFile writes a database made of stmts to path.
	sqliteFile := func(stmts ...string) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, q := range stmts {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// edited writes a real index, then runs stmts on it.
	edited := func(stmts ...string) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			realIndex(t, path)
			sqliteFile(stmts...)(t, path)
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		found int
	}{
		{"garbage", write(garbage), foundAtOpen},
		{"short garbage", write([]byte("not a database\n")), foundAtOpen},
		{"SQLite header then garbage", write(append([]byte("SQLite format 3\x00"), garbage...)), foundAtOpen},
		{"newer schema version", sqliteFile(`CREATE TABLE future (x)`, `PRAGMA user_version = 99`), foundAtOpen},
		{"negative schema version", sqliteFile(`PRAGMA user_version = -1`), foundAtOpen},
		{"foreign tables", sqliteFile(`CREATE TABLE tracks (x)`), foundAtOpen},
		{"current version, other columns", sqliteFile(`CREATE TABLE tracks (x)`, fmt.Sprintf(`PRAGMA user_version = %d`, indexSchemaVersion)), foundAtOpen},
		{"truncated mid-file", func(t *testing.T, path string) {
			if err := os.Truncate(path, realIndex(t, path)/2); err != nil {
				t.Fatal(err)
			}
		}, foundAtOpen},
		{"truncated to its header", func(t *testing.T, path string) {
			realIndex(t, path)
			if err := os.Truncate(path, 100); err != nil {
				t.Fatal(err)
			}
		}, foundAtOpen},
		{"a stale log with the damaged file", func(t *testing.T, path string) {
			write(garbage)(t, path)
			write(garbage[:4096])(t, path+"-wal")
			write(garbage[:4096])(t, path+"-shm")
		}, foundAtOpen},
		{"pages overwritten, found by Load", overwritten, foundAtLoad},
		{"a value of the wrong type", edited(`UPDATE tracks SET size = 'big' WHERE rowid = 7`), foundAtLoad},
		{"tracks missing", edited(`DELETE FROM tracks WHERE rowid % 3 = 0`), foundAtLoad},
		{"read-only by its header", func(t *testing.T, path string) {
			realIndex(t, path)
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Byte 18 is the file format write version: above 2, SQLite
			// may read the file but not write it.
			if _, err := f.WriteAt([]byte{3}, 18); err != nil {
				t.Fatal(err)
			}
		}, foundAtSave},
		{"pages overwritten, found by Save", overwritten, foundAtSave},
		{"empty file", write(nil), foundNever},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "library.db")
			tc.setup(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ix, err := OpenIndex(path)
			if err != nil {
				t.Fatalf("OpenIndex: %v", err)
			}
			defer ix.Close()
			if got, want := len(ix.MovedAside()), b2i(tc.found == foundAtOpen); got != want {
				t.Fatalf("OpenIndex moved %d files aside, want %d", got, want)
			}
			want := ixTracks(0, 5)
			if tc.found != foundAtSave {
				checkLoad(t, ix, "lib", nil, nil)
			}
			if err := ix.Save("lib", want, []string{"p"}); err != nil {
				t.Fatalf("Save: %v", err)
			}
			checkLoad(t, ix, "lib", want, []string{"p"})

			aside := ix.MovedAside()
			if got, want := len(aside), b2i(tc.found != foundNever); got != want {
				t.Fatalf("MovedAside() = %q, want %d files", aside, want)
			}
			if len(aside) == 0 {
				return
			}
			if want := path + ".corrupt-"; len(aside[0]) <= len(want) || aside[0][:len(want)] != want {
				t.Errorf("moved aside to %s, want %s<unix seconds>", aside[0], want)
			}
			if kept, err := os.ReadFile(aside[0]); err != nil || !bytes.Equal(kept, before) {
				t.Errorf("the file moved aside is not the damaged one as it was (%v)", err)
			}
		})
	}
}

// b2i returns 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestOpenIndexSettings checks the folder OpenIndex creates and the
// settings of the database it opens.
func TestOpenIndexSettings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "earshot")
	ix, err := OpenIndex(filepath.Join(dir, "library.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm != 0o700 {
		t.Errorf("folder mode %v, want 0700", perm)
	}
	// Several pragmas at once on one connection, as each pool connection has its own.
	conn, err := ix.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tests := []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"busy_timeout", "5000"},
		{"user_version", fmt.Sprint(indexSchemaVersion)},
	}
	for _, tc := range tests {
		var got string
		if err := conn.QueryRowContext(context.Background(), "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s = %q, want %q", tc.pragma, got, tc.want)
		}
	}
}

// TestOpenIndexFails checks that OpenIndex reports, rather than hides, a
// place where no index can be kept.
func TestOpenIndexFails(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"parent is a file": filepath.Join(file, "library.db"),
		"path is a folder": dir,
		"question mark":    filepath.Join(dir, "what?.db"),
	}
	for name, path := range tests {
		if ix, err := OpenIndex(path); err == nil {
			ix.Close()
			t.Errorf("%s: OpenIndex(%q) succeeded, want an error", name, path)
		}
	}
	if aside, _ := filepath.Glob(dir + ".corrupt-*"); aside != nil {
		t.Errorf("moved aside %q", aside)
	}
}

// TestSQLiteIndexClosed checks that a closed index says so.
func TestSQLiteIndexClosed(t *testing.T) {
	ix := openTestIndex(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := ix.Load("lib"); !errors.Is(err, ErrIndexClosed) {
		t.Errorf("Load after Close: %v, want ErrIndexClosed", err)
	}
	if err := ix.Save("lib", nil, nil); !errors.Is(err, ErrIndexClosed) {
		t.Errorf("Save after Close: %v, want ErrIndexClosed", err)
	}
}

// TestDefaultIndexPath checks that the index lives in the user's cache.
func TestDefaultIndexPath(t *testing.T) {
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DefaultIndexPath()
	if want := filepath.Join(cache, "earshot", "library.db"); got != want || err != nil {
		t.Errorf("DefaultIndexPath() = %q, %v; want %q", got, err, want)
	}
}

// ixCountingTags is a TagReader that counts the files it reads and gives
// each the same tags, with a picture.
type ixCountingTags struct{ n atomic.Int64 }

func (c *ixCountingTags) ReadTags(io.ReadSeeker) (probe.Tags, error) {
	c.n.Add(1)
	return probe.Tags{Artist: "Ärtist", Album: "Album", Track: 1, TrackTotal: 2, Disc: 1, DiscTotal: 2, Year: 1999,
		Picture: &probe.Picture{Data: []byte{0xff, 0xd8}, MIMEType: "image/jpeg"}}, nil
}

// ixCountingFS counts the files opened in its FS.
type ixCountingFS struct {
	fs.FS
	opens atomic.Int64
}

func (c *ixCountingFS) Open(name string) (fs.File, error) {
	c.opens.Add(1)
	return c.FS.Open(name)
}

// TestIndexRestoreSkipsUnchangedFiles scans a library that keeps an index,
// then checks that a new library restores the scan from the index without
// opening a file, and that its first scan reads only files it could not
// read before.
func TestIndexRestoreSkipsUnchangedFiles(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 123_456_789)
	tests := []struct {
		name      string
		fsys      fstest.MapFS
		wantReads int64 // by the scan after Restore
	}{
		{"all readable", fstest.MapFS{
			"a.wav":               {Data: playertest.WAV(100), ModTime: t0},
			"Album/01 b.wav":      {Data: playertest.WAV(200), ModTime: t0.Add(time.Nanosecond)},
			"Album/02 c.wav":      {Data: playertest.WAV(300)}, // zero ModTime
			"Album/cover.jpg":     {Data: []byte{0xff, 0xd8}, ModTime: t0},
			"Ålbum/ünïcode ♫.wav": {Data: playertest.WAV(50), ModTime: t0},
		}, 0},
		{"with a file that cannot be read", fstest.MapFS{
			"a.wav":   {Data: playertest.WAV(100), ModTime: t0},
			"bad.wav": {Data: []byte("RIFF but not really"), ModTime: t0},
		}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := openTestIndex(t)
			src := player.Source{Name: "/music", FS: tc.fsys}
			first := player.New(player.Options{Tags: &ixCountingTags{}, Index: ix})
			rep, err := first.Scan(context.Background(), src)
			if err != nil || rep.IndexErr != nil {
				t.Fatalf("first scan: %v, index: %v", err, rep.IndexErr)
			}

			tags := &ixCountingTags{}
			fsys := &ixCountingFS{FS: tc.fsys}
			src = player.Source{Name: "/music", FS: fsys}
			lib := player.New(player.Options{Tags: tags, Index: ix})
			n, err := lib.Restore(src)
			if err != nil || n != first.Len() {
				t.Fatalf("Restore = %d, %v; want %d tracks", n, err, first.Len())
			}
			if got := fsys.opens.Load(); got != 0 {
				t.Errorf("Restore opened %d files, want 0", got)
			}
			if got, want := lib.Tracks(), first.Tracks(); !reflect.DeepEqual(got, want) {
				t.Errorf("restored tracks\n%#v\nwant\n%#v", got, want)
			}
			if got, want := lib.Problems(), first.Problems(); !slices.Equal(got, want) {
				t.Errorf("restored problems %q, want %q", got, want)
			}
			for _, tr := range first.Tracks() {
				if got, err := lib.Track(tr.ID); err != nil || got.Path != tr.Path {
					t.Errorf("player.Track(%q) = %q, %v; want %q", tr.ID, got.Path, err, tr.Path)
				}
			}

			if _, err := lib.Scan(context.Background(), src); err != nil {
				t.Fatal(err)
			}
			if got := tags.n.Load(); got != tc.wantReads {
				t.Errorf("scan after Restore read %d files, want %d", got, tc.wantReads)
			}
			if got, want := lib.Tracks(), first.Tracks(); !reflect.DeepEqual(got, want) {
				t.Errorf("tracks after rescan\n%#v\nwant\n%#v", got, want)
			}
		})
	}
}

// TestSQLiteIndexDeletedWhileOpen checks that saving goes on working, into
// a new file, when the index file is deleted while Earshot runs (someone
// clearing their cache folder).
func TestSQLiteIndexDeletedWhileOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	ix, err := OpenIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	if err := ix.Save("lib", ixTracks(0, 10), nil); err != nil {
		t.Fatal(err)
	}
	// Windows refuses to delete open files; then the index simply goes on.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Logf("cannot delete an open file: %v", err)
		}
	}
	want := ixTracks(100, 5)
	if err := ix.Save("lib", want, []string{"p"}); err != nil {
		t.Fatalf("Save after the file was deleted: %v", err)
	}
	checkLoad(t, ix, "lib", want, []string{"p"})
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = OpenIndex(path); err != nil {
		t.Fatal(err)
	}
	checkLoad(t, ix, "lib", want, []string{"p"})
}

// openMigrated opens the index at path, which holds an older schema, and
// fails t unless it was migrated rather than moved aside. The index is
// closed when the test ends.
func openMigrated(t *testing.T, path string) *SQLiteIndex {
	t.Helper()
	ix, err := OpenIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if aside := ix.MovedAside(); aside != nil {
		t.Fatalf("moved aside to %q, want migrated", aside)
	}
	return ix
}
