package player_test

import (
	"context"
	"io"
	"slices"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// countingTags is a TagReader that counts the files it is asked to read.
type countingTags struct{ n atomic.Int64 }

func (c *countingTags) ReadTags(r io.ReadSeeker) (probe.Tags, error) {
	c.n.Add(1)
	return probe.Tags{}, probe.ErrNoTags
}

// TestRescanIsIncremental checks that a rescan opens only files whose size
// or modification time changed, and handles adds, deletes and moves.
func TestRescanIsIncremental(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	fsys := fstest.MapFS{
		"a.wav":     {Data: playertest.WAV(100), ModTime: t0},
		"b.wav":     {Data: playertest.WAV(100), ModTime: t0},
		"dir/c.wav": {Data: playertest.WAV(100), ModTime: t0},
	}
	tags := &countingTags{}
	lib := player.New(player.Options{Tags: tags})
	src := player.Source{Name: "lib", FS: fsys}
	rescan := func() {
		t.Helper()
		tags.n.Store(0)
		if _, err := lib.Scan(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	}
	rescan()
	idB := player.TrackID("b.wav")
	steps := []struct {
		name   string
		change func()
		reads  int64
		paths  []string
	}{
		{"unchanged", func() {}, 0, []string{"a.wav", "b.wav", "dir/c.wav"}},
		{"touched", func() { fsys["a.wav"].ModTime = t0.Add(time.Second) }, 1, []string{"a.wav", "b.wav", "dir/c.wav"}},
		{"grown", func() { fsys["b.wav"].Data = playertest.WAV(200) }, 1, []string{"a.wav", "b.wav", "dir/c.wav"}},
		{"added", func() { fsys["d.wav"] = &fstest.MapFile{Data: playertest.WAV(100), ModTime: t0} }, 1, []string{"a.wav", "b.wav", "d.wav", "dir/c.wav"}},
		{"deleted", func() { delete(fsys, "a.wav") }, 0, []string{"b.wav", "d.wav", "dir/c.wav"}},
		{"moved", func() { fsys["e/c.wav"] = fsys["dir/c.wav"]; delete(fsys, "dir/c.wav") }, 1, []string{"b.wav", "d.wav", "e/c.wav"}},
	}
	for _, s := range steps {
		s.change()
		rescan()
		if got := tags.n.Load(); got != s.reads {
			t.Errorf("%s: rescan read %d files, want %d", s.name, got, s.reads)
		}
		got := paths(lib.Tracks())
		slices.Sort(got)
		if !slices.Equal(got, s.paths) {
			t.Errorf("%s: tracks %q, want %q", s.name, got, s.paths)
		}
		if tr, err := lib.Track(idB); err != nil || tr.Path != "b.wav" {
			t.Errorf("%s: b.wav lost its ID: %v", s.name, err)
		}
	}
	if tr, _ := lib.Track(idB); tr.Size != 44+200 {
		t.Errorf("changed file not re-read: size %d", tr.Size)
	}
}

// countingIndex is an Index that keeps one source in memory and counts saves.
type countingIndex struct {
	saves  atomic.Int64
	tracks []player.Track
}

func (c *countingIndex) Load(string) ([]player.Track, []string, error) { return c.tracks, nil, nil }
func (c *countingIndex) Save(_ string, tracks []player.Track, _ []string) error {
	c.saves.Add(1)
	c.tracks = tracks
	return nil
}

// TestUnchangedRescanSavesNothing: when no file changed, a rescan keeps the
// index as it is (no rebuild, no save); any change saves again.
func TestUnchangedRescanSavesNothing(t *testing.T) {
	fsys := fstest.MapFS{"a.wav": {Data: playertest.WAV(100)}, "b.wav": {Data: playertest.WAV(100)}}
	ix := &countingIndex{}
	lib := player.New(player.Options{Index: ix})
	src := player.Source{Name: "lib", FS: fsys}
	steps := []struct {
		name   string
		change func()
		saves  int64
	}{
		{"first scan", func() {}, 1},
		{"unchanged", func() {}, 1},
		{"unchanged again", func() {}, 1},
		{"cover added", func() { fsys["cover.jpg"] = &fstest.MapFile{Data: []byte("\xff\xd8\xff")} }, 2},
		{"file added", func() { fsys["c.wav"] = &fstest.MapFile{Data: playertest.WAV(100)} }, 3},
		{"file removed", func() { delete(fsys, "a.wav") }, 4},
		{"unchanged after changes", func() {}, 4},
	}
	for _, s := range steps {
		s.change()
		if _, err := lib.Scan(context.Background(), src); err != nil {
			t.Fatal(err)
		}
		if got := ix.saves.Load(); got != s.saves {
			t.Errorf("%s: %d saves, want %d", s.name, got, s.saves)
		}
	}
	if tr := lib.Tracks(); len(tr) != 2 || !tr[0].HasCover {
		t.Errorf("library = %+v, want b and c with the folder cover", tr)
	}
}
