package player_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

func TestSplitProblem(t *testing.T) {
	tests := []struct{ line, path, reason string }{
		{"a/b.flac: flac duration: no fLaC marker", "a/b.flac", "flac duration: no fLaC marker"},
		{"Live: 1999/01.mp3: mp3 duration: no MPEG audio frame found", "Live: 1999/01.mp3", "mp3 duration: no MPEG audio frame found"},
		{"odd: name.wav: corrupt", "odd: name.wav", "corrupt"},
		{"locked: open locked: permission denied", "locked", "open locked: permission denied"},
		{"bare.mp3", "bare.mp3", "could not be read"},
		{"x.ogg: ", "x.ogg", ""},
	}
	for _, tt := range tests {
		p, r := player.SplitProblem(tt.line)
		if p != tt.path || r != tt.reason {
			t.Errorf("SplitProblem(%q) = %q, %q; want %q, %q", tt.line, p, r, tt.path, tt.reason)
		}
	}
}

// TestProblemFiles scans a library without ffmpeg holding a good WAV, two
// unreadable files and a WMA: the unreadable ones come first with the
// scan's reasons, then the WMA as "needs ffmpeg" with its track ID.
func TestProblemFiles(t *testing.T) {
	junk := []byte("not audio at all, only words and more words to fill a frame")
	fsys := fstest.MapFS{
		"A/01.wav":  {Data: playertest.WAV(8000)},
		"A/02.mp3":  {Data: junk},
		"B/03.flac": {Data: junk},
		"B/04.wma":  {Data: junk},
	}
	lib := player.New(player.Options{Tools: &probe.Tools{}})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	got := lib.ProblemFiles()
	want := []player.Problem{
		{Path: "A/02.mp3", Reason: "mp3 duration: malformed or truncated audio: no MPEG audio frame found"},
		{Path: "B/03.flac", Reason: "flac duration: malformed or truncated audio: no fLaC marker"},
		{Path: "B/04.wma", Reason: "needs ffmpeg", TrackID: player.TrackID("B/04.wma")},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ProblemFiles() = %+v\nwant %+v", got, want)
	}

	clean := player.New(player.Options{Tools: &probe.Tools{}})
	if _, err := clean.Scan(context.Background(), player.Source{Name: "clean", FS: fstest.MapFS{"a.wav": {Data: playertest.WAV(8000)}}}); err != nil {
		t.Fatal(err)
	}
	if got := clean.ProblemFiles(); got == nil || len(got) != 0 {
		t.Errorf("ProblemFiles() of a clean library = %#v, want an empty non-nil slice", got)
	}
}
