package player_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/artwork"
	"earshot/player/playertest"
)

// coverJPEG returns a w×h JPEG with some detail.
func coverJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLibraryThumbnail checks what Library.Thumbnail adds to the artwork
// cache: the allowed sizes, the track lookup and the cover search, and that
// a corrupt cover's error wraps ErrBadImage.
func TestLibraryThumbnail(t *testing.T) {
	t0 := time.Unix(1e9, 0)
	fsys := fstest.MapFS{
		"A/01.wav": {Data: playertest.WAV(800), ModTime: t0}, "A/cover.jpg": {Data: coverJPEG(t, 400, 200), ModTime: t0},
		"B/01.wav": {Data: playertest.WAV(800), ModTime: t0},
		"C/01.wav": {Data: playertest.WAV(800), ModTime: t0}, "C/cover.jpg": {Data: []byte("\xff\xd8\xff not a JPEG"), ModTime: t0},
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "t", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	a, b, c := player.TrackID("A/01.wav"), player.TrackID("B/01.wav"), player.TrackID("C/01.wav")
	tests := []struct {
		id   string
		size int
		want error
	}{
		{a, 96, nil}, {a, 300, nil},
		{a, 0, player.ErrBadSize}, {a, 97, player.ErrBadSize}, {a, -300, player.ErrBadSize},
		{"nope", 96, player.ErrNotFound},
		{b, 96, player.ErrNoCover},
		{c, 96, player.ErrBadImage},
	}
	for _, tc := range tests {
		pic, err := lib.Thumbnail(tc.id, tc.size)
		if !errors.Is(err, tc.want) || (err == nil && pic.MIMEType != "image/jpeg") {
			t.Errorf("Thumbnail(%q, %d) = %q, %v; want %v", tc.id, tc.size, pic.MIMEType, err, tc.want)
		}
	}
}

// TestThumbnailSharedCover checks that an album's twelve tracks sharing one
// cover make one thumbnail, and that changing the cover makes a new one.
func TestThumbnailSharedCover(t *testing.T) {
	fsys := fstest.MapFS{"Band/Album/cover.jpg": {Data: coverJPEG(t, 500, 500)}}
	for i := range 12 {
		fsys[fmt.Sprintf("Band/Album/%02d.wav", i+1)] = &fstest.MapFile{Data: playertest.WAV(800)}
	}
	dir := t.TempDir()
	art := artwork.New(artwork.Options{Dir: dir})
	lib := player.New(player.Options{Art: art})
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	thumbAll := func() {
		t.Helper()
		for _, tr := range lib.Tracks() {
			if _, err := lib.Thumbnail(tr.ID, 96); err != nil {
				t.Fatalf("Thumbnail(%s): %v", tr.Path, err)
			}
		}
	}
	files := func() int {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	thumbAll()
	if n, f := art.Made(), files(); n != 1 || f != 1 {
		t.Errorf("12 tracks, one cover: made %d, %d files; want 1 and 1", n, f)
	}
	fsys["Band/Album/cover.jpg"].Data = coverJPEG(t, 500, 400)
	thumbAll()
	if n, f := art.Made(), files(); n != 2 || f != 2 {
		t.Errorf("after the cover changed: made %d, %d files; want 2 and 2", n, f)
	}
}
