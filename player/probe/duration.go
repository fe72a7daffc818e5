package probe

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// ErrBadMedia is wrapped by every error [Probe] (and its duration and video
// readers) returns for a file whose container is malformed, truncated or
// does not state its length.
var ErrBadMedia = errors.New("malformed or truncated audio")

// readDuration returns the playing time in seconds of the audio in r, which
// holds size bytes in format f. It reads only headers and a bounded window at
// a time, seeking past audio data; it never decodes audio nor loads the whole
// file. The value matches ffprobe's format duration to within a few
// milliseconds; see the per-format readers for the exact sources used:
// [mp3Duration], [flacDuration], [oggDuration], [mp4Duration] and
// [wavDuration]. Errors wrap [ErrBadMedia] for malformed or truncated input,
// [ErrUnsupported] for a format it does not know, or the reader's own error.
func readDuration(r io.ReadSeeker, size int64, f Format) (float64, error) {
	if size <= 0 {
		return 0, fmt.Errorf("%w: empty file", ErrBadMedia)
	}
	w, ok := r.(*window)
	if !ok {
		w = newWindow(r, size)
		defer w.release()
	}
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
		return 0, fmt.Errorf("%s duration: %w: impossible length %v", f, ErrBadMedia, d)
	}
	return d, nil
}

// windowSize is how many bytes a [window] reads at once (64 KiB): enough to
// hold any Ogg page (at most 65,307 bytes, RFC 3533 section 6), many MP3
// frames and the whole tag block of most files, small enough never to matter
// for memory.
const windowSize = 64 << 10

// windowBuffers recycles window buffers: a scan reads tens of thousands of
// files, and a fresh 64 KiB buffer per file was over a gigabyte of garbage
// per 20,000 files.
var windowBuffers = sync.Pool{New: func() any { return new([windowSize]byte) }}

// window is a read-only view of a seekable file that keeps one buffer of at
// most [windowSize] bytes, read from the last offset asked for that was not
// already in it, so that callers can ask for small ranges at any offset
// without a read per request. It never holds more than one buffer, whatever
// the file's size.
//
// A window is also an [io.ReadSeeker] over the same bytes, served from the
// same buffer: dhowden/tag reads a file's tags field by field, a dozen bytes
// at a time, and through a window those reads cost one system call per 64 KiB
// instead of one each. Seeking only moves the window's position.
type window struct {
	r    io.ReadSeeker
	size int64             // length of the file in bytes
	buf  *[windowSize]byte // buf[:n] holds the bytes at [off, off+n); nil until the first read
	off  int64
	n    int
	pos  int64 // the Read position
	rpos int64 // r's own offset; -1 when unknown
}

// newWindow returns a window over the size bytes of r. Call release when
// done with it, to recycle its buffer.
func newWindow(r io.ReadSeeker, size int64) *window {
	return &window{r: r, size: size, rpos: -1}
}

// release returns the window's buffer to the pool; the window must not be
// used afterwards.
func (w *window) release() {
	if w.buf != nil {
		windowBuffers.Put(w.buf)
		w.buf, w.n = nil, 0
	}
}

// fill reads up to [windowSize] bytes at off into the buffer and returns how
// many it got; it stops early only at the end of the underlying file, with
// [io.EOF] or [io.ErrUnexpectedEOF].
func (w *window) fill(off int64) (int, error) {
	if w.buf == nil {
		w.buf = windowBuffers.Get().(*[windowSize]byte)
	}
	want := int64(windowSize)
	if rest := w.size - off; rest < want {
		want = rest
	}
	w.n = 0
	if w.rpos != off {
		if _, err := w.r.Seek(off, io.SeekStart); err != nil {
			w.rpos = -1
			return 0, fmt.Errorf("seek to %d: %w", off, err)
		}
	}
	got, err := io.ReadFull(w.r, w.buf[:want])
	w.off, w.n, w.rpos = off, got, off+int64(got)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		w.rpos = -1
		return got, fmt.Errorf("read at %d: %w", off, err)
	}
	return got, err
}

// bytes returns the n bytes at offset off, valid until the next call. It
// fails with an error wrapping [ErrBadMedia] (and [io.ErrUnexpectedEOF]) when
// the range runs past the end of the file or the reader ends before the
// file's stated size, and when n exceeds [windowSize]; a failing read is
// returned wrapped as it is.
func (w *window) bytes(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || n > windowSize || off > w.size || int64(n) > w.size-off {
		return nil, fmt.Errorf("%w: %d bytes at offset %d of %d: %w", ErrBadMedia, n, off, w.size, io.ErrUnexpectedEOF)
	}
	if off >= w.off && off+int64(n) <= w.off+int64(w.n) {
		i := int(off - w.off)
		return w.buf[i : i+n], nil
	}
	got, err := w.fill(off)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("%w: file ends at %d, before its stated size %d: %w", ErrBadMedia, off+int64(got), w.size, io.ErrUnexpectedEOF)
	case err != nil:
		return nil, err
	}
	return w.buf[:n], nil
}

// Read implements [io.Reader] from the window's buffer, refilling it at the
// read position when that position is outside it. A read of a whole buffer
// or more that the buffer does not start goes straight to the file. At the
// file's stated size it returns [io.EOF].
func (w *window) Read(p []byte) (int, error) {
	if w.pos >= w.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if w.pos < w.off || w.pos >= w.off+int64(w.n) {
		if len(p) >= windowSize {
			return w.readDirect(p)
		}
		got, err := w.fill(w.pos)
		if got == 0 {
			if err == nil || errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF // the file is shorter than it was: end there
			}
			return 0, err
		}
	}
	k := copy(p, w.buf[w.pos-w.off:w.n])
	w.pos += int64(k)
	return k, nil
}

// readDirect reads into p from the read position without the buffer.
func (w *window) readDirect(p []byte) (int, error) {
	if rest := w.size - w.pos; int64(len(p)) > rest {
		p = p[:rest]
	}
	if w.rpos != w.pos {
		if _, err := w.r.Seek(w.pos, io.SeekStart); err != nil {
			w.rpos = -1
			return 0, err
		}
	}
	k, err := w.r.Read(p)
	w.pos += int64(k)
	w.rpos = w.pos
	if err != nil && !errors.Is(err, io.EOF) {
		w.rpos = -1
	}
	return k, err
}

// Seek implements [io.Seeker]: it moves the read position without touching
// the file. Offsets past the end are allowed (reads there return [io.EOF]);
// a negative result is an error.
func (w *window) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += w.pos
	case io.SeekEnd:
		offset += w.size
	default:
		return 0, fmt.Errorf("seek: invalid whence %d", whence)
	}
	if offset < 0 {
		return 0, fmt.Errorf("seek: negative position %d", offset)
	}
	w.pos = offset
	return offset, nil
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
			return 0, fmt.Errorf("%w: bad ID3v2 header at %d", ErrBadMedia, off)
		}
		n := int64(b[6])<<21 | int64(b[7])<<14 | int64(b[8])<<7 | int64(b[9])
		n += 10
		if b[5]&0x10 != 0 {
			n += 10
		}
		if n > w.size-off {
			return 0, fmt.Errorf("%w: ID3v2 tag of %d bytes at %d runs past the end", ErrBadMedia, n, off)
		}
		off += n
	}
	return off, nil
}
