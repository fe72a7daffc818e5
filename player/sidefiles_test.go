package player_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
)

// wavSeconds is an in-memory WAV file of the given length (16,000 bytes a
// second).
func wavSeconds(s float64) *fstest.MapFile {
	return &fstest.MapFile{Data: playertest.WAV(int(s * 16000))}
}

// liveCue is a Latin-1 cue sheet for "Live/live.wav", 60 s long.
const liveCue = "PERFORMER \"The Band\"\r\nTITLE \"Live at the Caf\xe9\"\r\nREM DATE 1999\r\nFILE \"live.wav\" WAVE\r\n" +
	"  TRACK 01 AUDIO\r\n    TITLE \"Intro\"\r\n    INDEX 01 00:00:00\r\n" +
	"  TRACK 02 AUDIO\r\n    TITLE \"Song\"\r\n    PERFORMER \"Guest\"\r\n    INDEX 00 00:14:00\r\n    INDEX 01 00:15:37\r\n" +
	"  TRACK 03 AUDIO\r\n    TITLE \"Encore\"\r\n    INDEX 01 00:40:00\r\n"

// cueWant are the tracks liveCue makes: number, title, artist, start, end.
var cueWant = []struct {
	n             int
	title, artist string
	start, end    float64
}{
	{1, "Intro", "The Band", 0, 15 + 37.0/75},
	{2, "Song", "Guest", 15 + 37.0/75, 40},
	{3, "Encore", "The Band", 40, 60},
}

// checkCueTracks checks that lib lists the tracks of liveCue for the file
// at p, and not the file itself.
func checkCueTracks(t *testing.T, lib *player.Library, p string) {
	t.Helper()
	if _, err := lib.Track(player.TrackID(p)); err == nil {
		t.Errorf("the whole file %s is listed too", p)
	}
	for _, w := range cueWant {
		tr, err := lib.Track(player.CueTrackID(p, w.n))
		if err != nil {
			t.Fatalf("cue track %d: %v", w.n, err)
		}
		if tr.Title != w.title || tr.Artist != w.artist || tr.TrackNumber != w.n || tr.TrackTotal != 3 ||
			tr.Album != "Live at the Café" || tr.AlbumArtist != "The Band" || tr.Year != 1999 || tr.Path != p {
			t.Errorf("cue track %d = %+v", w.n, tr)
		}
		if math.Abs(tr.Start-w.start) > 1e-6 || math.Abs(tr.End-w.end) > 0.01 || math.Abs(tr.Duration-(w.end-w.start)) > 0.01 {
			t.Errorf("cue track %d: start %v end %v duration %v, want %v–%v", w.n, tr.Start, tr.End, tr.Duration, w.start, w.end)
		}
	}
}

func TestCueSheetBeside(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"same name":          {"Live/live.wav": wavSeconds(60), "Live/live.cue": {Data: []byte(liveCue)}},
		"name.ext.cue":       {"Live/live.wav": wavSeconds(60), "Live/live.wav.cue": {Data: []byte(liveCue)}},
		"only cue, names it": {"Live/live.wav": wavSeconds(60), "Live/rip log.cue": {Data: []byte(liveCue)}, "Live/other.wav": wavSeconds(2)},
		"utf-8 BOM":          {"Live/live.wav": wavSeconds(60), "Live/live.cue": {Data: []byte("\xEF\xBB\xBF" + strings.ReplaceAll(liveCue, "\xe9", "é"))}},
	}
	for name, fsys := range tests {
		t.Run(name, func(t *testing.T) {
			lib, rep := scan(t, fsys)
			checkCueTracks(t, lib, "Live/live.wav")
			if _, ok := fsys["Live/other.wav"]; ok {
				if _, err := lib.Track(player.TrackID("Live/other.wav")); err != nil {
					t.Errorf("other.wav, which the sheet does not name: %v", err)
				}
			}
			if rep.Tracks != len(lib.Tracks()) {
				t.Errorf("Report.Tracks = %d, library %d", rep.Tracks, len(lib.Tracks()))
			}
		})
	}
}

func TestCueSheetNotApplied(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"only cue, names another file": {"A/a.wav": wavSeconds(60), "A/x.cue": {Data: []byte(strings.Replace(liveCue, "live.wav", "b.wav", 1))}},
		"one track":                    {"A/a.wav": wavSeconds(60), "A/a.cue": {Data: []byte("FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n")}},
		"starts past the end":          {"A/a.wav": wavSeconds(10), "A/a.cue": {Data: []byte(strings.Replace(liveCue, "live.wav", "a.wav", 1))}},
		"not a sheet":                  {"A/a.wav": wavSeconds(60), "A/a.cue": {Data: []byte("garbage")}},
	}
	for name, fsys := range tests {
		t.Run(name, func(t *testing.T) {
			lib, _ := scan(t, fsys)
			if _, err := lib.Track(player.TrackID("A/a.wav")); err != nil || len(lib.Tracks()) != 1 {
				t.Errorf("a.wav not listed whole and alone: %v, %d tracks", err, len(lib.Tracks()))
			}
		})
	}
}

// TestCueRescan checks that an unchanged rescan keeps a split file's
// tracks without saving the library again, that a sheet added beside an
// unchanged file splits it, and that one removed makes it whole again.
func TestCueRescan(t *testing.T) {
	fsys := fstest.MapFS{"Live/live.wav": wavSeconds(60)}
	ix := &countingIndex{}
	lib := player.New(player.Options{Index: ix})
	src := player.Source{Name: "test", FS: fsys}
	rescan := func() {
		t.Helper()
		if _, err := lib.Scan(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	}
	rescan()
	fsys["Live/live.cue"] = &fstest.MapFile{Data: []byte(liveCue)}
	rescan()
	checkCueTracks(t, lib, "Live/live.wav")
	saves := ix.saves.Load()
	rescan()
	checkCueTracks(t, lib, "Live/live.wav")
	if ix.saves.Load() != saves {
		t.Errorf("an unchanged rescan saved the library again (%d saves, want %d)", ix.saves.Load(), saves)
	}
	delete(fsys, "Live/live.cue")
	rescan()
	if _, err := lib.Track(player.TrackID("Live/live.wav")); err != nil || len(lib.Tracks()) != 1 {
		t.Errorf("after the sheet went: %v, %d tracks", err, len(lib.Tracks()))
	}
}
