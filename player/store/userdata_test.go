package store

import (
	"context"
	"database/sql"
	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// sizeTags is a TagReader that tags every file by its size alone: files
// of one size share a fingerprint whatever they are called or hold.
type sizeTags struct{}

func (sizeTags) ReadTags(r io.ReadSeeker) (probe.Tags, error) {
	n, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return probe.Tags{}, err
	}
	return probe.Tags{Title: fmt.Sprint("Song ", n), Artist: "Band", Album: "Album", Track: int(n % 10)}, nil
}

// userLibrary returns a library over fsys keeping user data in ix,
// scanned once.
func userLibrary(t *testing.T, ix *SQLiteIndex, fsys fstest.MapFS, tags probe.TagReader) (*player.Library, player.Source) {
	t.Helper()
	lib := player.New(player.Options{Index: ix, UserData: ix, Tags: tags})
	src := player.Source{Name: "lib", FS: fsys}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	return lib, src
}

// idOf returns the ID of the track at path p in lib.
func idOf(t *testing.T, lib *player.Library, p string) string {
	t.Helper()
	for _, tr := range lib.Tracks() {
		if tr.Path == p {
			return tr.ID
		}
	}
	t.Fatalf("no track at %s", p)
	return ""
}

// entryIDs returns the track IDs of playlist id, in order, with how each
// was matched.
func entryIDs(t *testing.T, lib *player.Library, id string) (ids, how []string) {
	t.Helper()
	p, err := lib.Playlist(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Entries {
		ids = append(ids, e.Track.ID)
		how = append(how, e.MatchedBy)
	}
	return ids, how
}

// TestMovedTrackKeepsUserData is the check: a hearted, playlisted,
// played file moved to another folder is, after the rescan, still hearted,
// in the playlist at its place, with its play count — found by its
// content when its bytes are unchanged, by its tags when they changed.
func TestMovedTrackKeepsUserData(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    bool // change a byte of the moved file
		matched string
	}{
		{"same bytes", false, player.MatchContent},
		{"bytes changed, same tags", true, player.MatchTags},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
			fsys := fstest.MapFS{
				"A/one.wav":   {Data: playertest.WAV(1000), ModTime: t0},
				"A/two.wav":   {Data: playertest.WAV(2000), ModTime: t0},
				"A/three.wav": {Data: playertest.WAV(3000), ModTime: t0},
			}
			ix := openTestIndex(t)
			lib, src := userLibrary(t, ix, fsys, sizeTags{})
			one, two, three := idOf(t, lib, "A/one.wav"), idOf(t, lib, "A/two.wav"), idOf(t, lib, "A/three.wav")
			p, err := lib.CreatePlaylist("Mix", []string{three, two, one})
			if err != nil {
				t.Fatal(err)
			}
			if err := lib.SetStar(player.StarSong, two, true); err != nil {
				t.Fatal(err)
			}
			if res, err := lib.RecordPlay(two, "listen-1", 1); err != nil || !res.Counted || res.Count != 1 {
				t.Fatalf("RecordPlay = %+v, %v; want counted, count 1", res, err)
			}

			moved := fsys["A/two.wav"]
			delete(fsys, "A/two.wav")
			data := slices.Clone(moved.Data)
			if tc.edit {
				data[100]++
			}
			fsys["B/moved.wav"] = &fstest.MapFile{Data: data, ModTime: t0.Add(time.Hour)}
			rep, err := lib.Scan(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			newTwo := idOf(t, lib, "B/moved.wav")
			if len(rep.Moved) != 1 || rep.Moved[0].From != two || rep.Moved[0].To.ID != newTwo || rep.Moved[0].To.MatchedBy != tc.matched {
				t.Fatalf("Report.Moved = %+v, want %s → %s by %s", rep.Moved, two, newTwo, tc.matched)
			}
			ids, how := entryIDs(t, lib, p.ID)
			if want := []string{three, newTwo, one}; !slices.Equal(ids, want) {
				t.Errorf("playlist after the move = %v, want %v", ids, want)
			}
			if how[1] != tc.matched || how[0] != "" {
				t.Errorf("entries matched by %q, want the moved one by %q", how, tc.matched)
			}
			fav, err := lib.Favourites()
			if err != nil || len(fav.Songs) != 1 || fav.Songs[0].ID != newTwo {
				t.Errorf("favourite songs = %+v, %v; want the moved track", fav.Songs, err)
			}
			hist, err := lib.History(player.HistoryMost, 10)
			if err != nil || len(hist) != 1 || hist[0].Track.ID != newTwo || hist[0].Count != 1 {
				t.Errorf("most played = %+v, %v; want the moved track, count 1", hist, err)
			}
		})
	}
}

// TestUserDataSurvivesRestart checks that hearts, playlists and play
// counts are in the file: a new library on the index reopened has them.
func TestUserDataSurvivesRestart(t *testing.T) {
	fsys := fstest.MapFS{"A/one.wav": {Data: playertest.WAV(1000)}, "A/two.wav": {Data: playertest.WAV(2000)}}
	ix := openTestIndex(t)
	lib, src := userLibrary(t, ix, fsys, sizeTags{})
	album := lib.Albums()[0].ID
	one, two := idOf(t, lib, "A/one.wav"), idOf(t, lib, "A/two.wav")
	if err := lib.SetStar(player.StarAlbum, album, true); err != nil {
		t.Fatal(err)
	}
	p, err := lib.CreatePlaylist("  Road trip  ", []string{two, one, two})
	if err != nil || p.Name != "Road trip" || p.Tracks != 3 {
		t.Fatalf("CreatePlaylist = %+v, %v", p, err)
	}
	path := ix.path
	ix.Close()
	ix2, err := OpenIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	lib2 := player.New(player.Options{Index: ix2, UserData: ix2, Tags: sizeTags{}})
	if n, err := lib2.Restore(src); err != nil || n != 2 {
		t.Fatalf("Restore = %d, %v", n, err)
	}
	fav, err := lib2.Favourites()
	if err != nil || len(fav.Albums) != 1 || fav.Albums[0].ID != album {
		t.Errorf("favourite albums after restart = %+v, %v", fav.Albums, err)
	}
	if ids, _ := entryIDs(t, lib2, p.ID); !slices.Equal(ids, []string{two, one, two}) {
		t.Errorf("playlist after restart = %v", ids)
	}
}

// TestPlaylistChanges checks renaming, reordering, removing, appending and
// deleting, and that each refused change writes nothing.
func TestPlaylistChanges(t *testing.T) {
	fsys := fstest.MapFS{"a.wav": {Data: playertest.WAV(1000)}, "b.wav": {Data: playertest.WAV(2000)}, "c.wav": {Data: playertest.WAV(3000)}}
	ix := openTestIndex(t)
	lib, _ := userLibrary(t, ix, fsys, nil)
	a, b, c := idOf(t, lib, "a.wav"), idOf(t, lib, "b.wav"), idOf(t, lib, "c.wav")
	p, err := lib.CreatePlaylist("One", []string{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	name := "Two"
	if _, err := lib.UpdatePlaylist(p.ID, &name, []string{c, a}, nil); err != nil {
		t.Fatal(err)
	}
	if info, err := lib.UpdatePlaylist(p.ID, nil, nil, []string{b}); err != nil || info.Name != "Two" || info.Tracks != 3 {
		t.Fatalf("append = %+v, %v", info, err)
	}
	want := []string{c, a, b}
	if ids, _ := entryIDs(t, lib, p.ID); !slices.Equal(ids, want) {
		t.Fatalf("entries = %v, want %v", ids, want)
	}
	long := strings.Repeat("x", 10000)
	bad := string([]byte{0xff, 0xfe})
	many := slices.Repeat([]string{a}, player.MaxPlaylistEntries+1)
	var unknown *player.UnknownTracksError
	for _, tc := range []struct {
		name   string
		change func() error
		is     func(error) bool
	}{
		{"long name", func() error { _, err := lib.UpdatePlaylist(p.ID, &long, nil, nil); return err }, isInvalid},
		{"bad UTF-8", func() error { _, err := lib.UpdatePlaylist(p.ID, &bad, []string{a}, nil); return err }, isInvalid},
		{"unknown ids", func() error {
			_, err := lib.UpdatePlaylist(p.ID, nil, []string{a, "nope", "nada", "nope"}, nil)
			return err
		},
			func(err error) bool {
				return errors.As(err, &unknown) && slices.Equal(unknown.IDs, []string{"nope", "nada"})
			}},
		{"too many", func() error { _, err := lib.UpdatePlaylist(p.ID, nil, many, nil); return err }, isTooMany},
		{"too many appended", func() error {
			_, err := lib.UpdatePlaylist(p.ID, nil, nil, many[:player.MaxPlaylistEntries-2])
			return err
		}, isTooMany},
		{"create too many", func() error { _, err := lib.CreatePlaylist("x", many); return err }, isTooMany},
		{"unknown playlist", func() error { _, err := lib.UpdatePlaylist("99", &name, nil, nil); return err },
			func(err error) bool { return errors.Is(err, player.ErrPlaylistNotFound) }},
	} {
		if err := tc.change(); !tc.is(err) {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
	if ids, _ := entryIDs(t, lib, p.ID); !slices.Equal(ids, want) {
		t.Errorf("entries after refused changes = %v, want %v", ids, want)
	}
	if ps, err := lib.Playlists(); err != nil || len(ps) != 1 || ps[0].Name != "Two" {
		t.Errorf("Playlists = %+v, %v", ps, err)
	}
	if err := lib.DeletePlaylist(p.ID); err != nil {
		t.Fatal(err)
	}
	if err := lib.DeletePlaylist(p.ID); !errors.Is(err, player.ErrPlaylistNotFound) {
		t.Errorf("second delete: %v, want not found", err)
	}
}

func isInvalid(err error) bool { return errors.Is(err, player.ErrInvalid) }
func isTooMany(err error) bool { return errors.Is(err, player.ErrTooManyEntries) }

// TestRecordPlay checks the Last.fm rule on a 2-second track (half of it
// counts) and that a listen ID counts once.
func TestRecordPlay(t *testing.T) {
	fsys := fstest.MapFS{"a.wav": {Data: playertest.WAV(32000)}} // 2 s
	ix := openTestIndex(t)
	lib, _ := userLibrary(t, ix, fsys, nil)
	a := idOf(t, lib, "a.wav")
	for _, tc := range []struct {
		listen  string
		played  float64
		counted bool
		count   int
	}{
		{"l1", 0.9, false, 0},
		{"l1", 1.0, true, 1},
		{"l1", 2.0, false, 1}, // the same listen again
		{"l2", 1.5, true, 2},
	} {
		res, err := lib.RecordPlay(a, tc.listen, tc.played)
		if err != nil || res.Counted != tc.counted || res.Count != tc.count {
			t.Errorf("RecordPlay(%q, %v) = %+v, %v; want counted %v, count %d", tc.listen, tc.played, res, err, tc.counted, tc.count)
		}
	}
	for _, listen := range []string{"", strings.Repeat("x", 101), "tab\there"} {
		if _, err := lib.RecordPlay(a, listen, 5); !isInvalid(err) {
			t.Errorf("RecordPlay with listen %q: %v, want invalid", listen, err)
		}
	}
	hist, err := lib.History(player.HistoryRecent, 10)
	if err != nil || len(hist) != 1 || hist[0].Count != 2 || hist[0].LastPlayed.IsZero() {
		t.Errorf("recent = %+v, %v", hist, err)
	}
}

// longWAV returns a WAV file that lasts seconds, in 2*seconds bytes (a
// sample rate of 1 Hz).
func longWAV(seconds int) []byte {
	b := playertest.WAV(2 * seconds)
	b[24], b[25], b[26], b[27] = 1, 0, 0, 0
	return b
}

// TestPositions checks that long tracks keep where they were left and
// short ones refuse to.
func TestPositions(t *testing.T) {
	fsys := fstest.MapFS{"long.wav": {Data: longWAV(1500)}, "short.wav": {Data: playertest.WAV(1000)}}
	ix := openTestIndex(t)
	lib, _ := userLibrary(t, ix, fsys, nil)
	long, short := idOf(t, lib, "long.wav"), idOf(t, lib, "short.wav")
	if err := lib.SetPosition(long, 612.5); err != nil {
		t.Fatal(err)
	}
	if err := lib.SetPosition(short, 0.1); !isInvalid(err) {
		t.Errorf("position of a short track: %v, want invalid", err)
	}
	if err := lib.SetPosition(long, 1501); !isInvalid(err) {
		t.Errorf("position past the end: %v, want invalid", err)
	}
	if pos, err := lib.Positions(); err != nil || len(pos) != 1 || pos[long] != 612.5 {
		t.Errorf("Positions = %v, %v", pos, err)
	}
	if err := lib.SetPosition(long, 1498); err != nil { // finished: forgotten
		t.Fatal(err)
	}
	if pos, err := lib.Positions(); err != nil || len(pos) != 0 {
		t.Errorf("Positions after finishing = %v, %v", pos, err)
	}
}

// TestUserDataMigratesV4 builds a version 4 database with tracks, opens
// it, and checks that it is at the current version with its tracks kept
// and the user-data tables empty and usable.
func TestUserDataMigratesV4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(slices.Clone(indexMigrations[:4]), `PRAGMA user_version = 4`) {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := saveV4(db, "lib", ixTracks(0, 3)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ix := openMigrated(t, path)
	var version int
	if err := ix.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != indexSchemaVersion || version < 5 {
		t.Fatalf("user_version = %d, %v; want %d", version, err, indexSchemaVersion)
	}
	want := ixTracks(0, 3)
	for i := range want {
		want[i].ModTime = time.Time{} // version 6 reads music again
	}
	checkLoad(t, ix, "lib", want, nil)
	if ps, err := ix.Playlists(); err != nil || len(ps) != 0 {
		t.Errorf("Playlists = %v, %v; want none", ps, err)
	}
	ref := player.TrackRef{ID: "x", Path: "x.flac", Fingerprint: "f", Size: 1}
	if _, err := ix.CreatePlaylist("p", []player.TrackRef{ref}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if refs, err := ix.Refs(); err != nil || len(refs) != 1 || refs[0] != ref {
		t.Errorf("Refs = %+v, %v; want %+v", refs, err, ref)
	}
}

// TestRecordPlayConcurrent sends one listen from many goroutines at once,
// as a page retrying over a flaky network might, with plays of another
// listen and playlist edits beside it: the listen counts once.
func TestRecordPlayConcurrent(t *testing.T) {
	fsys := fstest.MapFS{"a.wav": {Data: playertest.WAV(32000)}, "b.wav": {Data: playertest.WAV(16000)}}
	ix := openTestIndex(t)
	lib, _ := userLibrary(t, ix, fsys, nil)
	a, b := idOf(t, lib, "a.wav"), idOf(t, lib, "b.wav")
	p, err := lib.CreatePlaylist("p", []string{a})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	counted := make(chan bool, 2*n)
	errs := make(chan error, 3*n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(3)
		go func() {
			defer wg.Done()
			res, err := lib.RecordPlay(a, "same", 2)
			errs <- err
			counted <- res.Counted
		}()
		go func() {
			defer wg.Done()
			_, err := lib.RecordPlay(b, fmt.Sprint("other-", i), 1)
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := lib.UpdatePlaylist(p.ID, nil, nil, []string{b})
			errs <- err
		}()
	}
	wg.Wait()
	close(counted)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	times := 0
	for c := range counted {
		if c {
			times++
		}
	}
	hist, err := lib.History(player.HistoryMost, 10)
	if err != nil {
		t.Fatal(err)
	}
	if times != 1 || len(hist) != 2 || hist[0].Track.ID != b || hist[0].Count != n || hist[1].Count != 1 {
		t.Errorf("counted %d times; most played %+v; want a once, b %d times", times, hist, n)
	}
	if info, err := lib.Playlists(); err != nil || info[0].Tracks != n+1 {
		t.Errorf("playlist after %d appends: %+v, %v", n, info, err)
	}
}
