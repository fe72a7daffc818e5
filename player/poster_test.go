package player_test

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

	"earshot/player"
	"earshot/player/artwork"
	"earshot/player/playertest"
)

// noFrames is a WebM whose headers are fine (a 12.345-s, 640×360 video)
// but that holds no picture at all.
func noFrames(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "noframes.webm"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestPosterWithoutFFmpeg checks that without ffmpeg a video is indexed
// with no cover, and that its cover is then ErrNoCover.
func TestPosterWithoutFFmpeg(t *testing.T) {
	lib := player.New(player.Options{Art: artwork.New(artwork.Options{})})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "t", FS: fstest.MapFS{"clip.webm": {Data: noFrames(t)}}}); err != nil {
		t.Fatal(err)
	}
	vs := lib.Videos()
	if len(vs) != 1 || !vs[0].Video || vs[0].HasCover {
		t.Fatalf("Videos() = %+v, want one video without a cover", vs)
	}
	if _, err := lib.Cover(vs[0].ID); !errors.Is(err, player.ErrNoCover) {
		t.Errorf("Cover = %v, want ErrNoCover", err)
	}
}

// TestPosterFromStdinAndCached takes the poster frame of a WebM video held
// in an fstest.MapFS (a source that is not a folder, so ffmpeg reads the
// file from its standard input), checks that it lands in the thumbnail
// folder, and that a library whose ffmpeg is missing then serves it from
// there.
func TestPosterFromStdinAndCached(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	ffmpeg := artwork.FindFFmpeg()
	if ffmpeg == "" {
		t.Fatal("ffmpeg is not installed")
	}
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "clip.webm", Kind: playertest.VP9, Seconds: 1})
	data, err := os.ReadFile(filepath.Join(dir, "clip.webm"))
	if err != nil {
		t.Fatal(err)
	}
	thumbs := filepath.Join(t.TempDir(), "thumbs")
	lib := player.New(player.Options{Art: artwork.New(artwork.Options{Dir: thumbs, FFmpeg: ffmpeg})})
	fsys := fstest.MapFS{"clip.webm": {Data: data, ModTime: time.Unix(1_700_000_000, 0)}}
	src := player.Source{Name: "t", FS: fsys}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	id := player.TrackID("clip.webm")
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

	missing := artwork.New(artwork.Options{Dir: thumbs, FFmpeg: filepath.Join(t.TempDir(), "no-such-ffmpeg")})
	again := player.New(player.Options{Art: missing})
	if _, err := again.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	pic2, err := again.Cover(id)
	if err != nil || !bytes.Equal(pic2.Data, pic.Data) {
		t.Fatalf("Cover with ffmpeg missing = %d bytes, %v; want the cached poster", len(pic2.Data), err)
	}
	if n := missing.Made(); n != 0 {
		t.Errorf("the cache made %d posters, want 0 (read from the folder)", n)
	}
}

// TestPosterFailure checks that a video ffmpeg cannot take a frame of has
// no cover (ErrNoCover, so the API answers 404), rather than an error.
func TestPosterFailure(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	ffmpeg := artwork.FindFFmpeg()
	if ffmpeg == "" {
		t.Fatal("ffmpeg is not installed")
	}
	lib := player.New(player.Options{Art: artwork.New(artwork.Options{FFmpeg: ffmpeg})})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "t", FS: fstest.MapFS{"clip.webm": {Data: noFrames(t)}}}); err != nil {
		t.Fatal(err)
	}
	vs := lib.Videos()
	if len(vs) != 1 || !vs[0].HasCover {
		t.Fatalf("Videos() = %+v, want one video with a cover (ffmpeg is installed)", vs)
	}
	if _, err := lib.Cover(vs[0].ID); !errors.Is(err, player.ErrNoCover) {
		t.Errorf("Cover = %v, want ErrNoCover", err)
	}
}
