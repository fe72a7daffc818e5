package probe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// sv8HeadBytes is how much of a Musepack file [musepackSV8Length] reads:
// the stream header comes before any audio, right after the "MPCK" magic
// and at most a few small packets in every file seen.
const sv8HeadBytes = 4 << 10

// errNotSV8 is returned by [parseSV8Length] for a file that does not start
// with the Musepack SV8 magic "MPCK" (an SV7 file starts with "MP+").
var errNotSV8 = errors.New("not Musepack SV8")

// musepackSV8Length returns the exact playing time, in seconds, of the
// Musepack SV8 file in, read from its stream header (see [parseSV8Length]),
// and whether it found one. ffprobe's length for SV8 is short by up to
// one packet of 64 frames (1.67 s at 44.1 kHz): ffmpeg's mpc8 demuxer
// divides the sample count by the samples per packet in whole numbers.
// An SV7 file, or one whose head cannot be read, gives false, and the
// caller keeps ffprobe's length.
func musepackSV8Length(in Input) (float64, bool) {
	var r io.ReadCloser
	var err error
	if in.DiskPath != "" {
		r, err = os.Open(in.DiskPath)
	} else if in.Open != nil {
		r, err = in.Open()
	} else {
		return 0, false
	}
	if err != nil {
		return 0, false
	}
	defer r.Close()
	head, err := io.ReadAll(io.LimitReader(r, sv8HeadBytes))
	if err != nil {
		return 0, false
	}
	d, err := parseSV8Length(head)
	return d, err == nil
}

// parseSV8Length returns the playing time in seconds of a Musepack SV8
// stream from head, the start of the file, as the Musepack SV8
// specification lays it out: the magic "MPCK", then packets, each a
// two-letter key, its size (keys and size included) as a variable-length
// number, and its content. The stream header packet "SH" holds a CRC-32
// (4 bytes), the stream version (8), the sample count and the number of
// silent samples to skip at the beginning (both variable-length), then the
// sample-rate index in the top 3 bits of the next byte. The length is
// (samples − beginning silence) / rate. It returns [errNotSV8] without the
// magic and an error wrapping [ErrBadMedia] when no well-formed header
// lies within head, before the first audio packet.
func parseSV8Length(head []byte) (float64, error) {
	if !bytes.HasPrefix(head, []byte("MPCK")) {
		return 0, errNotSV8
	}
	for off := 4; ; {
		if len(head)-off < 3 {
			return 0, fmt.Errorf("%w: no Musepack stream header", ErrBadMedia)
		}
		key := string(head[off : off+2])
		size, n := sv8Varlen(head[off+2:])
		if n == 0 || size < uint64(2+n) || size > uint64(len(head)-off) {
			return 0, fmt.Errorf("%w: Musepack packet %q of bad size", ErrBadMedia, key)
		}
		content := head[off+2+n : off+int(size)]
		switch key {
		case "SH":
			return sv8StreamLength(content)
		case "AP", "SE": // audio, or the stream's end, before any header
			return 0, fmt.Errorf("%w: no Musepack stream header before %q", ErrBadMedia, key)
		}
		off += int(size)
	}
}

// sv8StreamLength reads the content of an SV8 stream header packet (see
// [parseSV8Length]) and returns the stream's length in seconds.
func sv8StreamLength(b []byte) (float64, error) {
	if len(b) < 5 || b[4] != 8 {
		return 0, fmt.Errorf("%w: Musepack stream header is not version 8", ErrBadMedia)
	}
	b = b[5:]
	samples, n := sv8Varlen(b)
	if n == 0 {
		return 0, fmt.Errorf("%w: Musepack sample count", ErrBadMedia)
	}
	b = b[n:]
	silence, n := sv8Varlen(b)
	if n == 0 || len(b) < n+2 || silence > samples {
		return 0, fmt.Errorf("%w: Musepack beginning silence", ErrBadMedia)
	}
	var rate float64
	switch i := b[n] >> 5; i {
	case 0:
		rate = 44100
	case 1:
		rate = 48000
	case 2:
		rate = 37800
	case 3:
		rate = 32000
	default:
		return 0, fmt.Errorf("%w: Musepack sample-rate index %d is reserved", ErrBadMedia, i)
	}
	return float64(samples-silence) / rate, nil
}

// sv8Varlen decodes an SV8 variable-length number at the start of b: bytes
// of 7 bits each, most significant first, all but the last with the top
// bit set. It returns the number and the bytes it took, 0 when b ends
// first or the number is longer than 9 bytes (63 bits).
func sv8Varlen(b []byte) (uint64, int) {
	var v uint64
	for i, c := range b {
		if i == 9 {
			return 0, 0
		}
		v = v<<7 | uint64(c&0x7f)
		if c&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
