package player

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player/playertest"
)

// setPosterTool makes posterTool return path for the rest of the test.
func setPosterTool(t *testing.T, path string) {
	old := posterTool
	posterTool = func() string { return path }
	t.Cleanup(func() { posterTool = old })
}

// TestPosterWithoutFFmpeg checks that without ffmpeg a video is indexed
// with no cover, and that its cover is then ErrNoCover.
func TestPosterWithoutFFmpeg(t *testing.T) {
	setPosterTool(t, "")
	data := webmCases()[0].data
	lib := NewLibrary()
	if _, err := lib.Scan(context.Background(), Source{Name: "t", FS: fstest.MapFS{"clip.webm": {Data: data}}}); err != nil {
		t.Fatal(err)
	}
	vs := lib.Videos()
	if len(vs) != 1 || !vs[0].Video || vs[0].HasCover {
		t.Fatalf("Videos() = %+v, want one video without a cover", vs)
	}
	if _, err := lib.Cover(vs[0].ID); !errors.Is(err, ErrNoCover) {
		t.Errorf("Cover = %v, want ErrNoCover", err)
	}
}

// TestPosterFromStdinAndCached takes the poster frame of a WebM video held
// in an fstest.MapFS (a source that is not a folder, so ffmpeg reads the
// file from its standard input), checks that it lands in the thumbnail
// folder, and that a second request is served from there without running
// ffmpeg, which is then made to be missing.
func TestPosterFromStdinAndCached(t *testing.T) {
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "clip.webm", Kind: playertest.VP9, Seconds: 1})
	data, err := os.ReadFile(filepath.Join(dir, "clip.webm"))
	if err != nil {
		t.Fatal(err)
	}
	lib := NewLibrary()
	thumbs := filepath.Join(t.TempDir(), "thumbs")
	if err := lib.SetThumbnailDir(thumbs); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"clip.webm": {Data: data, ModTime: time.Unix(1_700_000_000, 0)}}
	if _, err := lib.Scan(context.Background(), Source{Name: "t", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	id := TrackID("clip.webm")
	pic, err := lib.Cover(id)
	if err != nil {
		t.Fatalf("Cover: %v", err)
	}
	img, err := jpeg.Decode(bytes.NewReader(pic.Data))
	if err != nil || img.Bounds().Dx() != playertest.VideoWidth {
		t.Fatalf("poster: %v, %v; want a %d px wide JPEG", img.Bounds(), err, playertest.VideoWidth)
	}
	cached, _ := filepath.Glob(filepath.Join(thumbs, "poster-*.jpg"))
	if len(cached) != 1 {
		t.Fatalf("thumbnail folder holds posters %q, want one", cached)
	}

	setPosterTool(t, filepath.Join(t.TempDir(), "no-such-ffmpeg"))
	again, err := lib.Cover(id)
	if err != nil || !bytes.Equal(again.Data, pic.Data) {
		t.Fatalf("second Cover = %d bytes, %v; want the cached poster", len(again.Data), err)
	}
}

// TestPosterFailure checks that a video ffmpeg cannot take a frame of has
// no cover (ErrNoCover, so the API answers 404), rather than an error.
func TestPosterFailure(t *testing.T) {
	if posterTool() == "" {
		t.Fatal("ffmpeg is not installed")
	}
	// A WebM whose headers are fine but that holds no picture at all.
	lib := NewLibrary()
	if _, err := lib.Scan(context.Background(), Source{Name: "t", FS: fstest.MapFS{"clip.webm": {Data: webmCases()[0].data}}}); err != nil {
		t.Fatal(err)
	}
	vs := lib.Videos()
	if len(vs) != 1 || !vs[0].HasCover {
		t.Fatalf("Videos() = %+v, want one video with a cover (ffmpeg is installed)", vs)
	}
	if _, err := lib.Cover(vs[0].ID); !errors.Is(err, ErrNoCover) {
		t.Errorf("Cover = %v, want ErrNoCover", err)
	}
}
