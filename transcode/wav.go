package transcode

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
)

// HeaderSize is the length in bytes of the RIFF header a [WAV] starts
// with: the RIFF chunk's 12 bytes, a 24-byte "fmt " chunk (PCM,
// WAVEFORMAT of the Microsoft RIFF specification, 1991) and the 8 bytes
// that open the "data" chunk.
const HeaderSize = 44

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

// NewWAV returns a [File] holding a WAV file of the shape pcm: the
// 44-byte header, then one unit per sample frame ([PCM.BlockAlign] bytes),
// whose samples open decodes from a frame on, started under ctx. A read
// at byte offset o ≥ [HeaderSize] decodes from frame (o−44)/BlockAlign
// (ffmpeg's -ss before -i seeks to the sample, so for a lossless source
// the bytes match a decode from the start exactly). Past the source's end
// the data is silence. It returns [ErrTooLong] for a shape RIFF cannot
// state.
func NewWAV(ctx context.Context, pcm PCM, open UnitSource) (*File, error) {
	h, err := pcm.Header()
	if err != nil {
		return nil, err
	}
	return NewFile(ctx, Layout{Header: h[:], Unit: pcm.BlockAlign(), Units: pcm.Frames}, open), nil
}
