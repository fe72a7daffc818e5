package probe

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"earshot/player/playertest"
)

// TestFLACComplete cuts a real FLAC file (fixed block size, as ffmpeg and
// libFLAC write) at 1 % to 99 % of its length: every cut is refused with
// ErrBadMedia, while the whole file, the whole file with an ID3v1 tag
// appended, and a cut that removes only an ID3v1 tag pass.
func TestFLACComplete(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "a.flac", Kind: playertest.FLAC, Seconds: 30})
	whole, err := os.ReadFile(filepath.Join(dir, "a.flac"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(b []byte) error { return CheckComplete(bytes.NewReader(b), int64(len(b)), FLAC) }
	if err := check(whole); err != nil {
		t.Fatalf("whole file: %v", err)
	}
	id3v1 := append([]byte("TAG"), make([]byte, 125)...)
	tagged := append(append([]byte{}, whole...), id3v1...)
	if err := check(tagged); err != nil {
		t.Errorf("whole file with ID3v1: %v", err)
	}
	for pct := 1; pct < 100; pct++ {
		cut := whole[:len(whole)*pct/100]
		if err := check(cut); !errors.Is(err, ErrBadMedia) {
			t.Errorf("cut at %d %%: %v, want ErrBadMedia", pct, err)
		}
	}
	if err := check(tagged[:len(whole)]); err != nil {
		t.Errorf("cut removing only the ID3v1 tag: %v", err)
	}
}

// TestFLACCodedNumber decodes coded numbers of each length (RFC 9639
// section 9.1.5) and refuses malformed ones.
func TestFLACCodedNumber(t *testing.T) {
	cases := []struct {
		b []byte
		v int64
		n int
	}{
		{[]byte{0x05}, 5, 1},
		{[]byte{0xc2, 0x80}, 0x80, 2},
		{[]byte{0xe1, 0x80, 0x80}, 0x1000, 3},
		{[]byte{0xfe, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80}, 1 << 30, 7},
		{[]byte{0xc2, 0x00}, 0, 0}, // continuation byte missing its 10 prefix
		{[]byte{0x80}, 0, 0},       // a continuation byte first
		{[]byte{0xe1, 0x80}, 0, 0}, // short
	}
	for _, c := range cases {
		if v, n := flacCodedNumber(c.b); v != c.v || n != c.n {
			t.Errorf("flacCodedNumber(% x) = %d, %d; want %d, %d", c.b, v, n, c.v, c.n)
		}
	}
}
