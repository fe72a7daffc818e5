package player_test

import (
	"errors"
	"slices"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/lyrics"
)

// TestFilePlaylists writes playlist files of every kind — M3U8 with a BOM
// and "\" separators, Latin-1 M3U with absolute paths from another
// computer, PLS — and checks their entries' tracks, in order, URLs
// skipped and missing entries kept.
func TestFilePlaylists(t *testing.T) {
	wav := wavSeconds(1)
	fsys := fstest.MapFS{
		"Björk/Homogenic/Jóga.wav":         wav,
		"Björk/Homogenic/Bachelorette.wav": wav,
		"Sigur Rós/Takk/Glósóli.wav":       wav,
		"Lists/trip.m3u8": {Data: []byte("\xEF\xBB\xBF#EXTM3U\r\n#PLAYLIST:Road trip\r\n#EXTINF:1,Björk - Jóga\r\n..\\Björk\\Homogenic\\Jóga.wav\r\n" +
			"http://radio.example/stream\r\n#EXTINF:200,Gone\r\n..\\Björk\\Gone.wav\r\n../Sigur Rós/Takk/Glósóli.wav\r\n")},
		"Lists/old.m3u": {Data: []byte("C:\\Users\\me\\Music\\Sigur R\xf3s\\Takk\\Gl\xf3s\xf3li.wav\r\n/home/x/Music/Bj\xf6rk/Homogenic/Bachelorette.wav\r\n")},
		"mix.pls":       {Data: []byte("[playlist]\nFile2=Björk/Homogenic/Jóga.wav\nFile1=Sigur Rós/Takk/Glósóli.wav\nTitle1=First\nFile3=missing.wav\nNumberOfEntries=3\n")},
	}
	lib, _ := scan(t, fsys)
	lists := lib.FilePlaylists()
	var names []string
	for _, p := range lists {
		names = append(names, p.Name)
		if p.Tracks != nil {
			t.Errorf("FilePlaylists gives %s's tracks", p.Path)
		}
	}
	if want := []string{"old", "Road trip", "mix"}; !slices.Equal(names, want) {
		t.Fatalf("playlists %q, want %q", names, want)
	}
	tests := []struct {
		path    string
		entries []string // track paths, "!" + entry path when missing
	}{
		{"Lists/trip.m3u8", []string{"Björk/Homogenic/Jóga.wav", "!../Björk/Gone.wav", "Sigur Rós/Takk/Glósóli.wav"}},
		{"Lists/old.m3u", []string{"Sigur Rós/Takk/Glósóli.wav", "Björk/Homogenic/Bachelorette.wav"}},
		{"mix.pls", []string{"Sigur Rós/Takk/Glósóli.wav", "Björk/Homogenic/Jóga.wav", "!missing.wav"}},
	}
	for _, tc := range tests {
		var id string
		for _, p := range lists {
			if p.Path == tc.path {
				id = p.ID
			}
		}
		p, err := lib.FilePlaylist(id)
		if err != nil {
			t.Fatalf("FilePlaylist(%s): %v", tc.path, err)
		}
		var got []string
		missing := 0
		for _, e := range p.Tracks {
			if e.Missing {
				got = append(got, "!"+e.Path)
				missing++
				if e.Track != nil {
					t.Errorf("%s: missing entry with a track", tc.path)
				}
				continue
			}
			got = append(got, e.Track.Path)
		}
		if !slices.Equal(got, tc.entries) || p.Missing != missing || p.Entries != len(tc.entries) {
			t.Errorf("%s: entries %q (missing %d of %d), want %q", tc.path, got, p.Missing, p.Entries, tc.entries)
		}
	}
	trip, _ := lib.FilePlaylist(lists[1].ID)
	if e := trip.Tracks[0]; e.Title != "Björk - Jóga" || e.Duration != 1 {
		t.Errorf("#EXTINF: title %q duration %v", e.Title, e.Duration)
	}
	if e := trip.Tracks[1]; e.Title != "Gone" || e.Duration != 200 {
		t.Errorf("missing entry lost its #EXTINF: %+v", e)
	}
	if _, err := lib.FilePlaylist("file-nothing"); !errors.Is(err, player.ErrPlaylistFileNotFound) {
		t.Errorf("unknown ID: %v", err)
	}
}

// TestLRCBeside checks lyrics from an .lrc file beside a track (any case
// of the extension), the track's HasLyrics, and ErrNoLyrics without.
func TestLRCBeside(t *testing.T) {
	wav := wavSeconds(1)
	fsys := fstest.MapFS{
		"A/one.wav":   wav,
		"A/one.lrc":   {Data: []byte("[ti:One]\n[offset:+100]\n[00:00.50][00:02.00]La la\n[00:01.00]Da\n")},
		"A/two.wav":   wav,
		"A/two.LRC":   {Data: []byte("Just words\nno times\n")},
		"A/three.wav": wav,
	}
	lib, _ := scan(t, fsys)
	tests := []struct {
		path string
		want lyrics.Lyrics
	}{
		{"A/one.wav", lyrics.Lyrics{Synced: true, Lines: []lyrics.Line{{Time: 0.4, Text: "La la"}, {Time: 0.9, Text: "Da"}, {Time: 1.9, Text: "La la"}}}},
		{"A/two.wav", lyrics.Lyrics{Text: "Just words\nno times"}},
	}
	for _, tc := range tests {
		id := player.TrackID(tc.path)
		tr, _ := lib.Track(id)
		got, err := lib.Lyrics(id)
		if err != nil || !tr.HasLyrics || got.Synced != tc.want.Synced || got.Text != tc.want.Text || !slices.Equal(got.Lines, tc.want.Lines) {
			t.Errorf("%s: HasLyrics %v, Lyrics = %+v, %v; want %+v", tc.path, tr.HasLyrics, got, err, tc.want)
		}
	}
	id := player.TrackID("A/three.wav")
	if tr, _ := lib.Track(id); tr.HasLyrics {
		t.Error("three.wav has lyrics")
	}
	if _, err := lib.Lyrics(id); !errors.Is(err, player.ErrNoLyrics) {
		t.Errorf("Lyrics(three) = %v, want ErrNoLyrics", err)
	}
	if _, err := lib.Lyrics("nope"); !errors.Is(err, player.ErrNotFound) {
		t.Errorf("Lyrics(unknown) = %v, want ErrNotFound", err)
	}
}
