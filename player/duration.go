package player

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// errBadAudio is wrapped by every error [readDuration] returns for a file
// whose container is malformed, truncated or does not state its length.
var errBadAudio = errors.New("malformed or truncated audio")

// readDuration returns the playing time in seconds of the audio in r, which
// holds size bytes in format f. It reads only headers and a bounded window at
// a time, seeking past audio data; it never decodes audio nor loads the whole
// file. The value matches ffprobe's format duration to within a few
// milliseconds; see the per-format readers for the exact sources used:
// [mp3Duration], [flacDuration], [oggDuration], [mp4Duration] and
// [wavDuration]. Errors wrap [errBadAudio] for malformed or truncated input,
// [ErrUnsupported] for a format it does not know, or the reader's own error.
func readDuration(r io.ReadSeeker, size int64, f Format) (float64, error) {
	if size <= 0 {
		return 0, fmt.Errorf("%w: empty file", errBadAudio)
	}
	w := newWindow(r, size)
	var (
		d   float64
		err error
	)
	switch f {
	case MP3:
		d, err = mp3Duration(w)
	case FLAC:
		d, err = flacDuration(w)
	case Ogg, Opus:
		d, err = oggDuration(w)
	case M4A:
		d, err = mp4Duration(w)
	case WAV:
		d, err = wavDuration(w)
	default:
		return 0, fmt.Errorf("duration of %q: %w", f, ErrUnsupported)
	}
	if err != nil {
		return 0, fmt.Errorf("%s duration: %w", f, err)
	}
	if math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
		return 0, fmt.Errorf("%s duration: %w: impossible length %v", f, errBadAudio, d)
	}
	return d, nil
}

// windowSize is how many bytes a [window] reads at once (64 KiB): enough to
// hold any Ogg page (at most 65,307 bytes, RFC 3533 section 6) and many MP3
// frames, small enough never to matter for memory.
const windowSize = 64 << 10

// window is a read-only view of a seekable file that keeps one buffer of at
// most [windowSize] bytes, read from the last offset asked for that was not
// already in it, so that callers can ask for small ranges at any offset
// without a read per request. It never holds more than one buffer, whatever
// the file's size.
type window struct {
	r    io.ReadSeeker
	size int64  // length of the file in bytes
	buf  []byte // buf[:n] holds the bytes at [off, off+n)
	off  int64
	n    int
}

// newWindow returns a window over the size bytes of r.
func newWindow(r io.ReadSeeker, size int64) *window {
	return &window{r: r, size: size}
}

// bytes returns the n bytes at offset off, valid until the next call. It
// fails with an error wrapping [errBadAudio] (and [io.ErrUnexpectedEOF]) when
// the range runs past the end of the file or the reader ends before the
// file's stated size, and when n exceeds [windowSize]; a failing read is
// returned wrapped as it is.
func (w *window) bytes(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || n > windowSize || off > w.size || int64(n) > w.size-off {
		return nil, fmt.Errorf("%w: %d bytes at offset %d of %d: %w", errBadAudio, n, off, w.size, io.ErrUnexpectedEOF)
	}
	if off >= w.off && off+int64(n) <= w.off+int64(w.n) {
		i := int(off - w.off)
		return w.buf[i : i+n], nil
	}
	if w.buf == nil {
		w.buf = make([]byte, windowSize)
	}
	want := int64(windowSize)
	if rest := w.size - off; rest < want {
		want = rest
	}
	w.n = 0
	if _, err := w.r.Seek(off, io.SeekStart); err != nil {
		return nil, fmt.Errorf("seek to %d: %w", off, err)
	}
	got, err := io.ReadFull(w.r, w.buf[:want])
	w.off, w.n = off, got
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("%w: file ends at %d, before its stated size %d: %w", errBadAudio, off+int64(got), w.size, io.ErrUnexpectedEOF)
	case err != nil:
		return nil, fmt.Errorf("read at %d: %w", off, err)
	}
	return w.buf[:n], nil
}

// has reports whether the file holds s at offset off; a range outside the
// file does not hold it. Only a failing read is an error.
func (w *window) has(off int64, s string) (bool, error) {
	if off < 0 || off > w.size-int64(len(s)) {
		return false, nil
	}
	b, err := w.bytes(off, len(s))
	return err == nil && string(b) == s, err
}

// skipID3v2 returns the offset just past the ID3v2 tags that start at off
// (several may follow one another), or off itself when there is none. The
// tag header is "ID3", two version bytes, a flags byte and a 28-bit
// synchsafe size that excludes the 10-byte header and, when flag bit 4 is
// set (ID3v2.4 section 3.1), the 10-byte footer.
func skipID3v2(w *window, off int64) (int64, error) {
	for off+10 <= w.size {
		b, err := w.bytes(off, 10)
		if err != nil {
			return 0, err
		}
		if string(b[:3]) != "ID3" {
			break
		}
		if b[3] == 0xff || b[4] == 0xff || b[6]|b[7]|b[8]|b[9] >= 0x80 {
			return 0, fmt.Errorf("%w: bad ID3v2 header at %d", errBadAudio, off)
		}
		n := int64(b[6])<<21 | int64(b[7])<<14 | int64(b[8])<<7 | int64(b[9])
		n += 10
		if b[5]&0x10 != 0 {
			n += 10
		}
		if n > w.size-off {
			return 0, fmt.Errorf("%w: ID3v2 tag of %d bytes at %d runs past the end", errBadAudio, n, off)
		}
		off += n
	}
	return off, nil
}
