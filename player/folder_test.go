package player_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
)

// TestOpenFolderStaysInside builds a library folder with symbolic links that
// point outside it and checks that neither the scan nor Open reaches them,
// while links that stay inside still work.
func TestOpenFolderStaysInside(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.wav"), playertest.WAV(100), 0o644)
	os.MkdirAll(filepath.Join(outside, "dir"), 0o755)
	os.WriteFile(filepath.Join(outside, "dir", "also.wav"), playertest.WAV(100), 0o644)

	lib := t.TempDir()
	os.MkdirAll(filepath.Join(lib, "Album"), 0o755)
	os.WriteFile(filepath.Join(lib, "Album", "in.wav"), playertest.WAV(100), 0o644)
	links := map[string]string{
		"escape.wav":       filepath.Join(outside, "secret.wav"), // absolute, outside
		"Album/up.wav":     filepath.Join("..", "..", filepath.Base(outside), "secret.wav"),
		"outdir":           filepath.Join(outside, "dir"), // a folder outside
		"Album/inside.wav": "in.wav",                      // stays inside: allowed
		"loop":             ".",                           // a folder loop
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(lib, name)); err != nil {
			t.Fatal(err)
		}
	}
	src, err := player.OpenFolder(lib)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := scan(t, src.FS)
	got := paths(l.Tracks())
	slices.Sort(got)
	if want := []string{"Album/in.wav", "Album/inside.wav"}; !slices.Equal(got, want) {
		t.Errorf("tracks = %q, want %q", got, want)
	}
	for _, name := range []string{"escape.wav", "outdir/also.wav", "../" + filepath.Base(outside) + "/secret.wav"} {
		if f, err := src.FS.Open(name); err == nil {
			f.Close()
			t.Errorf("Open(%q) through the library folder succeeded", name)
		}
	}
}
