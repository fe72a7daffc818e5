package player_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player/playertest"
)

// TestScanNoFileVanishes scans a folder of one file per media extension
// Earshot knows, most of them garbage: each is either a track or a
// problem naming it. (Issue 11: "One folder showed 4 tracks for 12
// files".)
func TestScanNoFileVanishes(t *testing.T) {
	names := []string{"a.aiff", "a.aif", "a.aifc", "a.wma", "a.wv", "a.ape", "a.mpc", "a.tta", "a.ac3",
		"a.eac3", "a.aac", "a.mp2", "a.mka", "a.dsf", "a.dff", "a.mkv", "a.avi", "a.webm", "a.mp3"}
	fsys := fstest.MapFS{"good.wav": {Data: playertest.WAV(8000)}, "notes.txt": {Data: []byte("hi")}}
	for _, n := range names {
		fsys[n] = &fstest.MapFile{Data: []byte("not media at all, just some text that is long enough")}
	}
	lib, rep := scan(t, fsys)
	seen := paths(lib.Tracks())
	seen = append(seen, paths(lib.Videos())...)
	for _, p := range lib.Problems() {
		seen = append(seen, strings.SplitN(p, ":", 2)[0])
	}
	slices.Sort(seen)
	want := append(slices.Clone(names), "good.wav")
	slices.Sort(want)
	if !slices.Equal(seen, want) {
		t.Errorf("tracks, videos and problems name %q, want %q", seen, want)
	}
	if rep.Tracks+rep.Videos+len(rep.Skipped) != len(want) {
		t.Errorf("Report: %d tracks, %d videos, %d skipped; want %d files in all", rep.Tracks, rep.Videos, len(rep.Skipped), len(want))
	}
}
