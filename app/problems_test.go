package app

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

func TestProblemsText(t *testing.T) {
	tests := []struct {
		unread, needs int
		want          string
	}{
		{1, 0, "1 file could not be read"},
		{3, 0, "3 files could not be read"},
		{0, 1, "1 file needs ffmpeg"},
		{0, 2, "2 files need ffmpeg"},
		{3, 2, "3 files could not be read, 2 need ffmpeg"},
		{1, 1, "1 file could not be read, 1 needs ffmpeg"},
	}
	for _, tt := range tests {
		if got := problemsText(tt.unread, tt.needs); got != tt.want {
			t.Errorf("problemsText(%d, %d) = %q, want %q", tt.unread, tt.needs, got, tt.want)
		}
	}
}

// TestNeedsFFmpegListed scans, without ffmpeg, a folder holding a WAV
// file and a WMA file: the WMA is a track, and the window's problems
// button says it needs ffmpeg and lists it.
func TestNeedsFFmpegListed(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{"good.wav": playertest.WAV(8000), "song.wma": []byte("only ffmpeg would know")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarnessLib(t, player.New(player.Options{Tools: &probe.Tools{}}), lanServer(), demo)
	h.ui.ChooseFolder(dir)
	done := h.settle(dir)
	if done.tracks != 2 {
		t.Errorf("%d tracks shown, want 2 (the WMA listed too)", done.tracks)
	}
	if b := h.ui.problemsButton; !b.Visible() || b.Text != "1 file needs ffmpeg" {
		t.Errorf("problems button visible=%v text %q, want \"1 file needs ffmpeg\"", b.Visible(), b.Text)
	}
	if got := problemLines(h.ui.lib.Problems(), h.ui.lib.NeedsFFmpeg()); !slices.Equal(got, []string{"song.wma: needs ffmpeg"}) {
		t.Errorf("problem lines = %q, want song.wma needing ffmpeg", got)
	}
	test.Tap(h.ui.problemsButton)
	if h.ui.Window().Canvas().Overlays().Top() == nil {
		t.Error("tapping the problems button opened no list")
	}
}
