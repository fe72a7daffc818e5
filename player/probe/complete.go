package probe

import (
	"encoding/binary"
	"fmt"
	"io"
)

// CheckComplete reports whether the file r, of size bytes in format f, is
// whole where its format states its own length, so that an upload cut
// short is refused before it reaches the library. It reads only the file's
// head and tail. It returns nil for a whole file and for formats it has no
// check for, and an error wrapping [ErrBadMedia] that says what is missing
// otherwise.
//
// Only FLAC needs it: its STREAMINFO states the length whatever follows,
// so [Probe] takes a FLAC cut in half for a whole one. One of the frames in
// the file's tail must end at the total samples STREAMINFO states (RFC 9639
// section 9.1: each frame header, with its CRC-8, gives the frame's first
// sample and block size). A WAV or MP4 file cut short already fails
// [Probe], whose duration readers check that the data chunk and the boxes
// fit in the file.
func CheckComplete(r io.ReadSeeker, size int64, f Format) error {
	w := newWindow(r, size)
	defer w.release()
	switch f {
	case FLAC:
		return flacComplete(w)
	}
	return nil
}

// flacTailMin is the least of a FLAC file's tail that [flacComplete]
// searches for frame headers: more than the largest frame of common
// encodings (4,608 samples of 8 channels at 32 bits is 147 KB).
const flacTailMin = 256 << 10

// flacComplete checks a native FLAC file; see [CheckComplete].
func flacComplete(w *window) error {
	start, err := skipID3v2(w, 0)
	if err != nil {
		return err
	}
	b, err := w.bytes(start+4, 4+34)
	if err != nil {
		return err
	}
	if _, total, err := parseStreamInfo(b); err != nil || total == 0 {
		return err // an unknown total states no length to check
	}
	si := b[4:]
	fixed := int64(binary.BigEndian.Uint16(si[0:2])) // min block size: the block size of a fixed-blocksize stream
	maxFrame := int64(si[7])<<16 | int64(si[8])<<8 | int64(si[9])
	total := int64(si[13]&0x0f)<<32 | int64(binary.BigEndian.Uint32(si[14:18]))
	tail := min(w.size-start, max(flacTailMin, 2*maxFrame+64), 32<<20)
	buf := make([]byte, tail)
	if _, err := w.r.Seek(w.size-tail, io.SeekStart); err != nil {
		return err
	}
	w.rpos = -1
	if _, err := io.ReadFull(w.r, buf); err != nil {
		return err
	}
	last := int64(-1)
	for i := 0; i+6 <= len(buf); i++ {
		if buf[i] != 0xff || buf[i+1]&0xfe != 0xf8 {
			continue
		}
		if end, ok := flacFrameEnd(buf[i:], fixed); ok {
			if end == total {
				return nil
			}
			last = max(last, end)
		}
	}
	if last < 0 {
		return fmt.Errorf("%w: no FLAC frame in the last %d bytes: the file is cut short or damaged", ErrBadMedia, tail)
	}
	return fmt.Errorf("%w: the FLAC frames end at sample %d of the %d STREAMINFO states: the file is cut short", ErrBadMedia, last, total)
}

// flacFrameEnd parses the FLAC frame header at the start of b (RFC 9639
// section 9.1) and returns the sample just after the frame: its first
// sample (the coded number, times fixed for a fixed-blocksize stream) plus
// its block size. ok is false when b holds no valid header there,
// including one whose CRC-8 does not match.
func flacFrameEnd(b []byte, fixed int64) (end int64, ok bool) {
	variable := b[1]&1 == 1
	bsCode, rateCode := b[2]>>4, b[2]&0x0f
	chans, depth := b[3]>>4, (b[3]>>1)&7
	if bsCode == 0 || rateCode == 15 || chans > 10 || depth == 3 || b[3]&1 != 0 {
		return 0, false
	}
	num, n := flacCodedNumber(b[4:])
	if n == 0 {
		return 0, false
	}
	i := 4 + n
	var block int64
	switch {
	case bsCode == 1:
		block = 192
	case bsCode <= 5:
		block = 576 << (bsCode - 2)
	case bsCode == 6:
		if i+1 > len(b) {
			return 0, false
		}
		block, i = int64(b[i])+1, i+1
	case bsCode == 7:
		if i+2 > len(b) {
			return 0, false
		}
		block, i = int64(binary.BigEndian.Uint16(b[i:]))+1, i+2
	default:
		block = 256 << (bsCode - 8)
	}
	switch rateCode {
	case 12:
		i++
	case 13, 14:
		i += 2
	}
	if i+1 > len(b) || crc8(b[:i]) != b[i] {
		return 0, false
	}
	first := num
	if !variable {
		first = num * fixed
	}
	return first + block, true
}

// flacCodedNumber decodes the UTF-8-like coded number of a FLAC frame
// header (RFC 9639 section 9.1.5, up to 36 bits in 7 bytes) and returns it
// with its length in bytes; n is 0 when b does not start with one.
func flacCodedNumber(b []byte) (v int64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	switch {
	case c < 0x80:
		return int64(c), 1
	case c&0xe0 == 0xc0:
		v, n = int64(c&0x1f), 2
	case c&0xf0 == 0xe0:
		v, n = int64(c&0x0f), 3
	case c&0xf8 == 0xf0:
		v, n = int64(c&0x07), 4
	case c&0xfc == 0xf8:
		v, n = int64(c&0x03), 5
	case c&0xfe == 0xfc:
		v, n = int64(c&0x01), 6
	case c == 0xfe:
		v, n = 0, 7
	default:
		return 0, 0
	}
	if len(b) < n {
		return 0, 0
	}
	for _, x := range b[1:n] {
		if x&0xc0 != 0x80 {
			return 0, 0
		}
		v = v<<6 | int64(x&0x3f)
	}
	return v, n
}

// crc8 is the CRC-8 of a FLAC frame header: polynomial x^8 + x^2 + x + 1,
// initialised with 0 (RFC 9639 section 9.1.8).
func crc8(b []byte) byte {
	var c byte
	for _, x := range b {
		c ^= x
		for range 8 {
			if c&0x80 != 0 {
				c = c<<1 ^ 0x07
			} else {
				c <<= 1
			}
		}
	}
	return c
}
