package probe

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Xing is the content of a Xing VBR header, the seek table that LAME and
// most encoders write into a silent first frame of a variable-bit-rate MP3
// (tag "Xing"; "Info" for constant bit rate). Its layout, after the frame
// header and the side information: the tag, 4 big-endian flag bytes (bit 0
// frames, 1 bytes, 2 TOC, 3 quality), then each field whose flag is set in
// that order: frames and bytes as 4-byte big-endian integers, the 100-byte
// TOC, a 4-byte quality. Sources: Xing's SDK (dxhead.c, "XING VBR header"),
// http://gabriel.mp3-tech.org/mp3infotag.html and
// https://www.codeproject.com/Articles/8295/MPEG-Audio-Frame-Header.
type Xing struct {
	// Frames is the number of audio frames that follow the Xing frame.
	Frames uint32
	// Bytes is the length in bytes of the MPEG audio from the Xing frame's
	// first byte to the end of the last frame.
	Bytes uint32
	// TOC maps playing time to bytes: TOC[i] is the offset, from the Xing
	// frame's first byte, of the audio at i % of the playing time, in
	// units of Bytes/256. Players interpolate between entries.
	TOC [100]byte
}

// Flags of a Xing header saying which fields follow the tag.
const (
	xingFrames  = 1
	xingBytes   = 2
	xingTOC     = 4
	xingQuality = 8
)

// xingBody is the length of a Xing header with frames, bytes and TOC:
// tag, flags, frames, bytes and 100 TOC bytes.
const xingBody = 4 + 4 + 4 + 4 + 100

// sideInfo returns the length in bytes of a Layer III frame's side
// information, which follows the header (and its CRC, if any): 32 for
// MPEG-1 stereo, 17 for MPEG-1 mono and MPEG-2/2.5 stereo, 9 for MPEG-2/2.5
// mono (ISO/IEC 11172-3 section 2.4.1.7, ISO/IEC 13818-3 section 2.4.1.7).
func (h mpegHeader) sideInfo() int {
	switch {
	case h.lsf && h.mono:
		return 9
	case h.lsf || h.mono:
		return 17
	}
	return 32
}

// BuildXingFrame returns a complete, silent MPEG audio frame that carries x
// as a Xing header (tag "Xing", flags frames, bytes and TOC), for a stream
// whose frames have the 4-byte header first. The frame keeps first's
// version, layer, sampling frequency, channel mode and flags, has no CRC
// and no padding, and takes the lowest bit rate whose frame holds the
// header; its side information and the rest are zeros, which decode as
// silence where a player does not recognise the header. It fails for a
// header that is not a valid Layer III frame header.
func BuildXingFrame(first []byte, x Xing) ([]byte, error) {
	if len(first) < 4 {
		return nil, fmt.Errorf("%w: %d-byte MPEG header", ErrBadMedia, len(first))
	}
	h, ok := parseMPEGHeader(first)
	if !ok || h.layer != 3 {
		return nil, fmt.Errorf("%w: not an MPEG Layer III frame header: % x", ErrBadMedia, first[:4])
	}
	// Keep sync, version, layer, sampling frequency, private bit, channel
	// mode, mode extension, copyright, original and emphasis; set
	// protection_bit (no CRC); bit rate and padding come below.
	base := binary.BigEndian.Uint32(first)&0xfffe0dff | 1<<16
	for idx := uint32(1); idx < 15; idx++ {
		v := base | idx<<12
		var hb [4]byte
		binary.BigEndian.PutUint32(hb[:], v)
		fh, ok := parseMPEGHeader(hb[:])
		if !ok || fh.length < 4+fh.sideInfo()+xingBody {
			continue
		}
		b := make([]byte, fh.length)
		copy(b, hb[:])
		p := b[4+fh.sideInfo():]
		copy(p, "Xing")
		binary.BigEndian.PutUint32(p[4:], xingFrames|xingBytes|xingTOC)
		binary.BigEndian.PutUint32(p[8:], x.Frames)
		binary.BigEndian.PutUint32(p[12:], x.Bytes)
		copy(p[16:], x.TOC[:])
		return b, nil
	}
	return nil, fmt.Errorf("%w: no bit rate makes a frame that holds a Xing header", ErrBadMedia)
}

// ParseXingFrame reads the Xing or Info header in the MPEG Layer III frame
// at the start of b and returns its fields and its flags (only the fields
// whose flag is set are filled in). It reports false when b does not start
// with a Layer III frame header or the frame holds no such header, and
// when a flagged field runs past the frame or past b. Like ffmpeg, it
// looks for the tag right after the side information and, when the frame
// has a CRC, also 2 bytes later.
func ParseXingFrame(b []byte) (x Xing, flags uint32, ok bool) {
	if len(b) < 4 {
		return Xing{}, 0, false
	}
	h, ok := parseMPEGHeader(b)
	if !ok || h.layer != 3 {
		return Xing{}, 0, false
	}
	frame := b[:min(len(b), h.length)]
	at := []int{4 + h.sideInfo()}
	if h.crc {
		at = append(at, 6+h.sideInfo())
	}
	for _, p := range at {
		if p+8 > len(frame) {
			continue
		}
		if tag := string(frame[p : p+4]); tag != "Xing" && tag != "Info" {
			continue
		}
		flags = binary.BigEndian.Uint32(frame[p+4:])
		q := frame[p+8:]
		field := func(n int) ([]byte, bool) {
			if len(q) < n {
				return nil, false
			}
			f := q[:n]
			q = q[n:]
			return f, true
		}
		if flags&xingFrames != 0 {
			f, ok := field(4)
			if !ok {
				return Xing{}, 0, false
			}
			x.Frames = binary.BigEndian.Uint32(f)
		}
		if flags&xingBytes != 0 {
			f, ok := field(4)
			if !ok {
				return Xing{}, 0, false
			}
			x.Bytes = binary.BigEndian.Uint32(f)
		}
		if flags&xingTOC != 0 {
			f, ok := field(100)
			if !ok {
				return Xing{}, 0, false
			}
			copy(x.TOC[:], f)
		}
		if flags&xingQuality != 0 {
			if _, ok := field(4); !ok {
				return Xing{}, 0, false
			}
		}
		return x, flags, true
	}
	return Xing{}, 0, false
}

// MP3Splice says how to make a VBR MP3 that has no seek table seekable:
// insert Frame, a Xing frame (see [BuildXingFrame]), at Offset.
type MP3Splice struct {
	// Offset is where the first audio frame starts, in bytes from the
	// start of the file: after any ID3v2 tags.
	Offset int64
	// Frame is the Xing frame to insert there.
	Frame []byte
}

// MP3SeekSplice reads the MP3 file r of size bytes and, when it is a
// variable-bit-rate MPEG Layer III stream with neither a Xing/Info nor a
// VBRI header, returns the Xing frame that makes it seekable and reports
// true. Without such a table a player can only turn a time into a byte
// offset by the bit rate of the frames it has seen, and lands seconds to
// tens of seconds off; browsers also misjudge the length (Firefox said 104 s
// for a 90-s file). The frame index comes from walking every frame header
// as [mp3Duration] does (the whole file is read, no audio decoded); the
// TOC entry for i % is the offset of the frame playing at that time,
// rounded to the nearest 1/256 of the stream, so a seek through it is off
// by at most 1/512 of the stream's bytes (0.2 s for 90 s at about 60
// kbit/s; about 0.6 s for a 5-min track). It reports false, with no error,
// for constant bit rate, other layers, files that already have a table,
// and streams over 4 GiB; errors wrap [ErrBadMedia] or are r's own.
func MP3SeekSplice(r io.ReadSeeker, size int64) (MP3Splice, bool, error) {
	if size <= 0 {
		return MP3Splice{}, false, fmt.Errorf("%w: empty file", ErrBadMedia)
	}
	w := newWindow(r, size)
	defer w.release()
	off, end, h, err := mp3Stream(w)
	if err != nil {
		return MP3Splice{}, false, err
	}
	if h.layer != 3 {
		return MP3Splice{}, false, nil
	}
	if _, found, err := mp3HeaderFrames(w, off, h); err != nil || found {
		return MP3Splice{}, false, err
	}
	var offsets []int64
	vbr := false
	n, err := mp3Walk(w, off, end, h.key, func(o int64, fh mpegHeader) {
		offsets = append(offsets, o)
		vbr = vbr || fh.bitrate != h.bitrate
	})
	if err != nil || !vbr || n == 0 {
		return MP3Splice{}, false, err
	}
	first, err := w.bytes(off, 4)
	if err != nil {
		return MP3Splice{}, false, err
	}
	frame, err := BuildXingFrame(first, Xing{})
	if err != nil {
		return MP3Splice{}, false, err
	}
	total := end - off + int64(len(frame))
	if total > 1<<32-1 {
		return MP3Splice{}, false, nil
	}
	x := Xing{Frames: uint32(n), Bytes: uint32(total)}
	for i := range x.TOC {
		rel := offsets[int64(i)*n/100] - off + int64(len(frame))
		x.TOC[i] = byte(min(255, (rel*256+total/2)/total))
	}
	if frame, err = BuildXingFrame(first, x); err != nil {
		return MP3Splice{}, false, err
	}
	return MP3Splice{Offset: off, Frame: frame}, true, nil
}
