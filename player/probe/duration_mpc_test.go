package probe

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"earshot/player/playertest"
)

// sv8Packet returns an SV8 packet: key, size (key and size included, in
// the shortest variable-length form) and content.
func sv8Packet(key string, content []byte) []byte {
	for n := 1; ; n++ {
		if size := 2 + n + len(content); size < 1<<(7*n) {
			return append(append([]byte(key), sv8Number(uint64(size), n)...), content...)
		}
	}
}

// sv8Number encodes v as an SV8 variable-length number of n bytes.
func sv8Number(v uint64, n int) []byte {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(v & 0x7f)
		if i < n-1 {
			b[i] |= 0x80
		}
		v >>= 7
	}
	return b
}

// sv8Header returns the content of a stream header packet of the given
// version, sample count, beginning silence and sample-rate index, for
// stereo with 64 frames a packet.
func sv8Header(version byte, samples, silence uint64, rate byte) []byte {
	b := []byte{0x12, 0x34, 0x56, 0x78, version}
	b = append(b, sv8Number(samples, 4)...)
	b = append(b, sv8Number(silence, 2)...)
	return append(b, rate<<5|26, 1<<4|1<<3|3)
}

// TestParseSV8Length covers the Musepack SV8 stream header reader: the
// length is (samples − beginning silence) / rate, from an SH packet that
// may follow other packets; a file without the magic is errNotSV8, and a
// header that is missing, late, of another version or cut short is
// ErrBadMedia.
func TestParseSV8Length(t *testing.T) {
	sh := func(c []byte) []byte { return append([]byte("MPCK"), sv8Packet("SH", c)...) }
	ok := sh(sv8Header(8, 321930, 0, 0))
	tests := []struct {
		name string
		head []byte
		want float64
		err  error
	}{
		{"44.1 kHz", ok, 7.3, nil},
		{"48 kHz with silence", sh(sv8Header(8, 96000+480, 480, 1)), 2, nil},
		{"37.8 kHz", sh(sv8Header(8, 37800*3, 0, 2)), 3, nil},
		{"32 kHz", sh(sv8Header(8, 16000, 0, 3)), 0.5, nil},
		{"after another packet", append(append([]byte("MPCK"), sv8Packet("XY", make([]byte, 200))...), sv8Packet("SH", sv8Header(8, 44100, 0, 0))...), 1, nil},
		{"SV7", append([]byte("MP+\x17"), ok[4:]...), 0, errNotSV8},
		{"empty", nil, 0, errNotSV8},
		{"audio first", append(append([]byte("MPCK"), sv8Packet("AP", []byte{1, 2, 3})...), ok[4:]...), 0, ErrBadMedia},
		{"stream end first", append(append([]byte("MPCK"), sv8Packet("SE", nil)...), ok[4:]...), 0, ErrBadMedia},
		{"version 7", sh(sv8Header(7, 44100, 0, 0)), 0, ErrBadMedia},
		{"reserved rate", sh(sv8Header(8, 44100, 0, 4)), 0, ErrBadMedia},
		{"silence past the end", sh(sv8Header(8, 100, 101, 0)), 0, ErrBadMedia},
		{"size past the end", append([]byte("MPCKSH\x7f"), sv8Header(8, 44100, 0, 0)...), 0, ErrBadMedia},
		{"size smaller than its own header", []byte("MPCKSH\x02\x00\x00\x00\x00\x08"), 0, ErrBadMedia},
		{"sample count of 10 bytes", sh(append([]byte{1, 2, 3, 4, 8}, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x00\x00\x00"...)), 0, ErrBadMedia},
	}
	for _, tt := range tests {
		got, err := parseSV8Length(tt.head)
		if !errors.Is(err, tt.err) || err == nil && math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: parseSV8Length = %v, %v; want %v, %v", tt.name, got, err, tt.want, tt.err)
		}
	}
	// Every cut of a good header fails cleanly.
	for n := 4; n < len(ok); n++ {
		if _, err := parseSV8Length(ok[:n]); !errors.Is(err, ErrBadMedia) {
			t.Errorf("first %d of %d bytes: %v, want ErrBadMedia", n, len(ok), err)
		}
	}
}

// TestMusepackSV8Length reads the length of a file mpcenc wrote, from disk
// and through Input.Open, and finds it exact (ffprobe says 1.67 s: one
// whole packet of 64 frames); an SV7 magic, a missing file and an input
// with neither path nor opener give false.
func TestMusepackSV8Length(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "a.mpc", Kind: playertest.Musepack, Seconds: 2.5})
	file := filepath.Join(dir, "a.mpc")
	open := func() (io.ReadCloser, error) { return os.Open(file) }
	for _, in := range []Input{{DiskPath: file}, {Open: open}} {
		if d, ok := musepackSV8Length(in); !ok || d != 2.5 {
			t.Errorf("musepackSV8Length(%+v) = %v, %v; want 2.5 s", in.DiskPath, d, ok)
		}
	}
	sv7 := filepath.Join(dir, "old.mpc")
	if err := os.WriteFile(sv7, []byte("MP+\x17"+strings.Repeat("\x00", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, in := range []Input{{DiskPath: sv7}, {DiskPath: filepath.Join(dir, "missing.mpc")}, {}} {
		if d, ok := musepackSV8Length(in); ok {
			t.Errorf("musepackSV8Length(%q) = %v, true; want false", in.DiskPath, d)
		}
	}
}

// FuzzParseSV8Length feeds the Musepack SV8 header reader mutations of
// good headers: it must not panic, and a length it returns must be a
// number of seconds, finite and not negative.
func FuzzParseSV8Length(f *testing.F) {
	f.Add(append([]byte("MPCK"), sv8Packet("SH", sv8Header(8, 321930, 0, 0))...))
	f.Add(append(append([]byte("MPCK"), sv8Packet("RG", make([]byte, 8))...), sv8Packet("SH", sv8Header(8, 96480, 480, 1))...))
	f.Fuzz(func(t *testing.T, head []byte) {
		d, err := parseSV8Length(head)
		if err == nil && (math.IsNaN(d) || math.IsInf(d, 0) || d < 0) {
			t.Errorf("parseSV8Length = %v, nil", d)
		}
	})
}
