package transcode

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// HeaderSize is the length in bytes of the RIFF header a [WAV] starts
// with: the RIFF chunk's 12 bytes, a 24-byte "fmt " chunk (PCM,
// WAVEFORMAT of the Microsoft RIFF specification, 1991) and the 8 bytes
// that open the "data" chunk.
const HeaderSize = 44

// maxSkip is how far ahead of the running ffmpeg's output a read may land
// and still be reached by reading on rather than by starting ffmpeg again
// from there: 256 KiB is under 1.5 s of CD audio, less than a restart
// costs, and covers the many small ranges of one multipart request.
const maxSkip = 256 << 10

// ErrTooLong is returned for a source whose PCM would not fit a RIFF file,
// whose sizes are 32-bit: about 6.7 hours of CD-quality audio.
var ErrTooLong = errors.New("too long for a WAV file")

// PCM is the shape of the 16-bit little-endian PCM a [WAV] carries.
type PCM struct {
	// Rate is the sample rate in Hz; Channels the number of channels
	// (1 or 2).
	Rate, Channels int
	// Frames is the number of sample frames (one sample per channel),
	// the length of the audio: Frames/Rate seconds.
	Frames int64
}

// BlockAlign returns the size in bytes of one sample frame.
func (p PCM) BlockAlign() int64 { return int64(p.Channels) * 2 }

// Size returns the length in bytes of the WAV file holding p: the header
// and Frames × BlockAlign bytes of samples.
func (p PCM) Size() int64 { return HeaderSize + p.Frames*p.BlockAlign() }

// Header returns the 44-byte RIFF WAVE header of p (WAVE_FORMAT_PCM,
// 16 bits per sample), or [ErrTooLong] when the data would pass the
// 4 GiB that RIFF's 32-bit sizes can state.
func (p PCM) Header() ([HeaderSize]byte, error) {
	var h [HeaderSize]byte
	data := p.Frames * p.BlockAlign()
	if p.Rate <= 0 || p.Channels <= 0 || p.Frames < 0 {
		return h, fmt.Errorf("transcode: bad PCM shape %+v", p)
	}
	if data > 0xFFFFFFFF-36 {
		return h, ErrTooLong
	}
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+data))
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16) // fmt chunk size
	le.PutUint16(h[20:], 1)  // WAVE_FORMAT_PCM
	le.PutUint16(h[22:], uint16(p.Channels))
	le.PutUint32(h[24:], uint32(p.Rate))
	le.PutUint32(h[28:], uint32(int64(p.Rate)*p.BlockAlign())) // bytes per second
	le.PutUint16(h[32:], uint16(p.BlockAlign()))
	le.PutUint16(h[34:], 16) // bits per sample
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(data))
	return h, nil
}

// PCMSource starts a decode of a source into raw PCM of the shape the
// [WAV] states, from sample frame frame on; the stream it returns yields
// those samples until the source ends (it may end early or run late: the
// WAV pads with silence or cuts). Closing it stops the decode and waits
// for it. [Transcoder.WAV] starts ffmpeg; tests pass fakes.
type PCMSource func(ctx context.Context, frame int64) (io.ReadCloser, error)

// WAV is a WAV file made on the fly from a source that is decoded as it
// is read, for [http.ServeContent]: an [io.ReadSeeker] whose length is
// known before any decoding (its header is synthesised from the [PCM]
// shape), so that the first answer already carries an exact
// Content-Length and every Range request is answered with a 206 and the
// very bytes a whole read gives at that offset.
//
// A Read at byte offset o ≥ [HeaderSize] reads from a decode started at
// frame (o−44)/BlockAlign (ffmpeg's -ss before -i seeks to the sample, so
// for a lossless source the bytes match a decode from the start exactly);
// a read a little ahead of the running decode reads on instead. Past the
// source's end the data is silence; the decode's output beyond Frames is
// never read. A WAV is not safe for concurrent use; Close it to stop the
// decode.
type WAV struct {
	ctx    context.Context
	open   PCMSource
	pcm    PCM
	header [HeaderSize]byte
	pos    int64 // the offset the next Read reads from

	src    io.ReadCloser // the running decode, or nil
	srcPos int64         // the offset of the next byte src gives
	srcEnd bool          // src has ended: from srcPos on, silence
	srcGot bool          // src gave at least one byte
}

// NewWAV returns a WAV of the shape pcm whose samples open decodes,
// starting decodes under ctx. It returns [ErrTooLong] for a shape RIFF
// cannot state.
func NewWAV(ctx context.Context, pcm PCM, open PCMSource) (*WAV, error) {
	h, err := pcm.Header()
	if err != nil {
		return nil, err
	}
	return &WAV{ctx: ctx, open: open, pcm: pcm, header: h}, nil
}

// Size returns the WAV's length in bytes ([PCM.Size]).
func (w *WAV) Size() int64 { return w.pcm.Size() }

// PCM returns the shape of the WAV's samples.
func (w *WAV) PCM() PCM { return w.pcm }

// Seek implements [io.Seeker]. It only moves the offset: the decode is
// started, or moved, by the next Read.
func (w *WAV) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += w.pos
	case io.SeekEnd:
		offset += w.Size()
	default:
		return w.pos, errors.New("transcode: bad whence")
	}
	if offset < 0 {
		return w.pos, errors.New("transcode: negative position")
	}
	w.pos = offset
	return offset, nil
}

// Read implements [io.Reader]. It returns the decode's error when the
// decode fails before giving a single byte (a file ffmpeg cannot read),
// and ctx's error once ctx is done.
func (w *WAV) Read(p []byte) (int, error) {
	size := w.Size()
	if w.pos >= size {
		return 0, io.EOF
	}
	if rest := size - w.pos; int64(len(p)) > rest {
		p = p[:rest]
	}
	if w.pos < HeaderSize {
		n := copy(p, w.header[w.pos:])
		w.pos += int64(n)
		return n, nil
	}
	if err := w.reach(); err != nil {
		return 0, err
	}
	n, err := w.readSource(p)
	w.pos += int64(n)
	return n, err
}

// readSource reads into p from the decode, positioned at w.pos, or
// silence once it has ended.
func (w *WAV) readSource(p []byte) (int, error) {
	if w.srcEnd {
		clear(p)
		w.srcPos += int64(len(p))
		return len(p), nil
	}
	n, err := w.src.Read(p)
	w.srcPos += int64(n)
	if n > 0 {
		w.srcGot = true
	}
	switch {
	case err == io.EOF:
		return n, w.ended()
	case err != nil:
		return n, w.failed(err)
	}
	return n, nil
}

// ended records that the decode gave all it had: the rest is silence,
// unless the decode failed without giving anything.
func (w *WAV) ended() error {
	err := w.src.Close()
	w.src, w.srcEnd = nil, true
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if err != nil && !w.srcGot {
		return err
	}
	return nil
}

// failed stops the decode after a read error and returns the error (ctx's
// when ctx is done).
func (w *WAV) failed(err error) error {
	w.stop()
	if cerr := w.ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// reach makes the decode's next byte the one at w.pos (> HeaderSize):
// by reading on when w.pos is a little ahead, else by starting a decode
// at the frame holding w.pos and skipping into the frame.
func (w *WAV) reach() error {
	ahead := w.pos - w.srcPos
	if w.srcEnd && ahead >= 0 {
		w.srcPos = w.pos
		return nil
	}
	if w.src == nil || ahead < 0 || ahead > maxSkip {
		w.stop()
		block := w.pcm.BlockAlign()
		frame := (w.pos - HeaderSize) / block
		src, err := w.open(w.ctx, frame)
		if err != nil {
			return err
		}
		w.src, w.srcPos, w.srcEnd, w.srcGot = src, HeaderSize+frame*block, false, false
		ahead = w.pos - w.srcPos
	}
	n, err := io.CopyN(io.Discard, w.src, ahead)
	w.srcPos += n
	if n > 0 {
		w.srcGot = true
	}
	switch {
	case err == io.EOF:
		if err := w.ended(); err != nil {
			return err
		}
		w.srcPos = w.pos
	case err != nil:
		return w.failed(err)
	}
	return nil
}

// stop stops the running decode, if any.
func (w *WAV) stop() {
	if w.src != nil {
		w.src.Close()
	}
	w.src, w.srcEnd, w.srcGot = nil, false, false
	w.srcPos = 0
}

// Close stops the decode and waits for it to end. It always returns nil.
func (w *WAV) Close() error {
	w.stop()
	return nil
}
