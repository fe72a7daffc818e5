package player_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
)

// TestNonUTF8Names scans a folder whose file names are not valid UTF-8
// (Linux allows any bytes but "/" and NUL; io/fs paths must be UTF-8): one
// at the library root, one in a subfolder beside a cover, and one with a
// cover inside a folder whose own name is not UTF-8. Every one must be
// listed, open, and serve its cover. Before the fix the subfolder's track
// was listed but could not be opened, the root's was skipped as "invalid
// argument", and the folder's was not read ("readdir: invalid argument").
func TestNonUTF8Names(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"r\xfeoot.wav":       playertest.WAV(100),
		"Sub/b\xffad.wav":    playertest.WAV(200),
		"Sub/cover.jpg":      {0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0xFF, 0xD9},
		"d\xffir/cover.jpg":  {0xFF, 0xD8, 0xFF, 0xE0, 0, 1, 0xFF, 0xD9},
		"Sub/good.wav":       playertest.WAV(300),
		"d\xffir/inside.wav": playertest.WAV(400),
		"Fine/also fine.wav": playertest.WAV(500),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatalf("writing %q: %v", name, err)
		}
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tr := range lib.Tracks() {
		listed[tr.Path] = true
		f, _, err := lib.Open(tr.ID)
		if err != nil {
			t.Errorf("Open(%q) = %v; a listed track must be served", tr.Path, err)
			continue
		}
		n, err := io.Copy(io.Discard, f)
		f.Close()
		if err != nil || n != tr.Size {
			t.Errorf("reading %q: %d bytes, %v; want %d", tr.Path, n, err, tr.Size)
		}
		if tr.HasCover {
			if _, err := lib.Cover(tr.ID); err != nil {
				t.Errorf("Cover(%q) = %v; HasCover promised one", tr.Path, err)
			}
		}
	}
	for _, want := range []string{"r\xfeoot.wav", "Sub/b\xffad.wav", "Sub/good.wav", "d\xffir/inside.wav", "Fine/also fine.wav"} {
		if !listed[want] {
			t.Errorf("%q is not listed; problems: %q", want, lib.Problems())
		}
	}
	for _, want := range []string{"Sub/b\xffad.wav", "d\xffir/inside.wav"} {
		if !slices.ContainsFunc(lib.Tracks(), func(tr player.Track) bool { return tr.Path == want && tr.HasCover }) {
			t.Errorf("%q has no cover: %+v", want, lib.Tracks())
		}
	}
	if p := lib.Problems(); len(p) != 0 {
		t.Errorf("problems %q, want none: a folder serves every name", p)
	}
	for _, p := range lib.Problems() {
		if strings.Contains(p, "invalid argument") {
			t.Errorf("problem %q does not say what is wrong", p)
		}
	}
}

// TestNonUTF8NamesOtherSources checks that a source that is not a folder
// (an fs.FS such as the embedded demo library), which cannot open names
// that are not UTF-8, lists such files as problems saying so.
func TestNonUTF8NamesOtherSources(t *testing.T) {
	fsys := fstest.MapFS{"r\xfeoot.wav": {Data: playertest.WAV(100)}, "ok.wav": {Data: playertest.WAV(100)}}
	lib := player.New(player.Options{})
	rep, err := lib.Scan(context.Background(), player.Source{Name: "t", FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(lib.Tracks()); !slices.Equal(got, []string{"ok.wav"}) {
		t.Errorf("tracks = %q, want only ok.wav", got)
	}
	if len(rep.Skipped) != 1 || !errors.Is(rep.Skipped[0], player.ErrNameNotUTF8) {
		t.Errorf("skipped = %v, want r\\xfeoot.wav with ErrNameNotUTF8", rep.Skipped)
	}
}
