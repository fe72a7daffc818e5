package transcode

import (
	"context"
	"errors"
	"io"
)

// maxSkip is how far ahead of the running ffmpeg's output a read may land
// and still be reached by reading on rather than by starting ffmpeg again
// from there: 256 KiB is under 1.5 s of CD audio (16 s of data-saver
// MP3), less than a restart costs, and covers the many small ranges of one
// multipart request.
const maxSkip = 256 << 10

// Layout is the shape of a [File]: a header, then Units units of Unit
// bytes each, every unit decodable on its own (a PCM sample frame, a
// constant-bit-rate MP3 frame). Its length is known before any
// transcoding, and byte offset o ≥ len(Header) lies in unit
// (o−len(Header))/Unit.
type Layout struct {
	// Header is the bytes before the first unit (a WAV's RIFF header;
	// none for MP3).
	Header []byte
	// Unit is the size in bytes of one unit (> 0); Units their number.
	Unit, Units int64
	// Filler is one unit of silence, what the file holds past the
	// source's end (nil: zero bytes, silence in PCM).
	Filler []byte
}

// Size returns the file's length in bytes: the header and the units.
func (l Layout) Size() int64 { return int64(len(l.Header)) + l.Units*l.Unit }

// UnitSource starts a transcode of a source into the units a [File]
// states, from unit unit on: the stream it returns yields those units'
// bytes until the source ends (it may end early or run late: the file pads
// with [Layout.Filler] or cuts). Closing it stops the transcode and waits
// for it. It returns [errPreempted] from Read when the transcoder took its
// process away for another request; the [File] then starts it again.
type UnitSource func(ctx context.Context, unit int64) (io.ReadCloser, error)

// File is a transcode made on the fly as it is read, for
// [http.ServeContent]: an [io.ReadSeeker] whose length is known before any
// transcoding (its [Layout]), so that the first answer already carries an
// exact Content-Length and every Range request is answered with a 206 and
// the very bytes a whole read gives at that offset (for a lossless source
// into PCM; a lossy target's units are equivalent, not identical).
//
// A Read at byte offset o in unit k reads from a transcode started at
// unit k; a read a little ahead of the running transcode reads on
// instead. Past the source's end the file holds Filler units; the
// transcode's output past Units is never read. A File is not safe for
// concurrent use; Close it to stop the transcode.
type File struct {
	ctx    context.Context
	open   UnitSource
	layout Layout
	pos    int64 // the offset the next Read reads from

	src    io.ReadCloser // the running transcode, or nil
	srcPos int64         // the offset of the next byte src gives
	srcEnd bool          // src has ended: from srcPos on, filler
	srcGot bool          // src gave at least one byte
}

// NewFile returns a File of layout l whose units open transcodes,
// starting transcodes under ctx.
func NewFile(ctx context.Context, l Layout, open UnitSource) *File {
	if l.Unit <= 0 {
		l.Unit = 1
	}
	return &File{ctx: ctx, open: open, layout: l}
}

// Size returns the file's length in bytes ([Layout.Size]).
func (f *File) Size() int64 { return f.layout.Size() }

// Seek implements [io.Seeker]. It only moves the offset: the transcode is
// started, or moved, by the next Read.
func (f *File) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.Size()
	default:
		return f.pos, errors.New("transcode: bad whence")
	}
	if offset < 0 {
		return f.pos, errors.New("transcode: negative position")
	}
	f.pos = offset
	return offset, nil
}

// Read implements [io.Reader]. It returns the transcode's error when it
// fails before giving a single byte (a file ffmpeg cannot read), and
// ctx's error once ctx is done.
func (f *File) Read(p []byte) (int, error) {
	size := f.Size()
	if f.pos >= size {
		return 0, io.EOF
	}
	if rest := size - f.pos; int64(len(p)) > rest {
		p = p[:rest]
	}
	if hdr := int64(len(f.layout.Header)); f.pos < hdr {
		n := copy(p, f.layout.Header[f.pos:])
		f.pos += int64(n)
		return n, nil
	}
	for {
		if err := f.reach(); err != nil {
			return 0, err
		}
		n, err := f.readSource(p)
		f.pos += int64(n)
		if errors.Is(err, errPreempted) && n == 0 {
			continue // taken away for another listener: start again here
		}
		if errors.Is(err, errPreempted) {
			err = nil
		}
		return n, err
	}
}

// readSource reads into p from the transcode, positioned at f.pos, or
// filler once it has ended.
func (f *File) readSource(p []byte) (int, error) {
	if f.srcEnd {
		f.fill(p, f.srcPos)
		f.srcPos += int64(len(p))
		return len(p), nil
	}
	n, err := f.src.Read(p)
	f.srcPos += int64(n)
	if n > 0 {
		f.srcGot = true
	}
	switch {
	case errors.Is(err, errPreempted):
		f.stop()
		return n, err
	case err == io.EOF:
		return n, f.ended()
	case err != nil:
		return n, f.failed(err)
	}
	return n, nil
}

// fill writes into p the filler bytes from offset off on.
func (f *File) fill(p []byte, off int64) {
	filler := f.layout.Filler
	if filler == nil {
		clear(p)
		return
	}
	i := int((off - int64(len(f.layout.Header))) % f.layout.Unit)
	for n := 0; n < len(p); {
		c := copy(p[n:], filler[i:])
		n += c
		i = 0
	}
}

// ended records that the transcode gave all it had: the rest is filler,
// unless it failed without giving anything.
func (f *File) ended() error {
	err := f.src.Close()
	f.src, f.srcEnd = nil, true
	if err := f.ctx.Err(); err != nil {
		return err
	}
	if err != nil && !f.srcGot {
		return err
	}
	return nil
}

// failed stops the transcode after a read error and returns the error
// (ctx's when ctx is done).
func (f *File) failed(err error) error {
	f.stop()
	if cerr := f.ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// reach makes the transcode's next byte the one at f.pos (past the
// header): by reading on when f.pos is a little ahead, else by starting a
// transcode at the unit holding f.pos and skipping into the unit.
func (f *File) reach() error {
	ahead := f.pos - f.srcPos
	if f.srcEnd && ahead >= 0 {
		f.srcPos = f.pos
		return nil
	}
	hdr := int64(len(f.layout.Header))
	if f.src == nil || ahead < 0 || ahead > maxSkip {
		f.stop()
		unit := (f.pos - hdr) / f.layout.Unit
		src, err := f.open(f.ctx, unit)
		if err != nil {
			return err
		}
		f.src, f.srcPos, f.srcEnd, f.srcGot = src, hdr+unit*f.layout.Unit, false, false
		ahead = f.pos - f.srcPos
	}
	n, err := io.CopyN(io.Discard, f.src, ahead)
	f.srcPos += n
	if n > 0 {
		f.srcGot = true
	}
	switch {
	case errors.Is(err, errPreempted):
		f.stop()
		return f.reach()
	case err == io.EOF:
		if err := f.ended(); err != nil {
			return err
		}
		f.srcPos = f.pos
	case err != nil:
		return f.failed(err)
	}
	return nil
}

// stop stops the running transcode, if any.
func (f *File) stop() {
	if f.src != nil {
		f.src.Close()
	}
	f.src, f.srcEnd, f.srcGot = nil, false, false
	f.srcPos = 0
}

// Close stops the transcode and waits for it to end. It always returns nil.
func (f *File) Close() error {
	f.stop()
	return nil
}
