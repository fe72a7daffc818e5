package probe

import (
	"encoding/binary"
	"fmt"
)

// mpegBitrates holds the bit rates in kbit/s indexed by [lsf][layer-1][index]
// for the 4-bit bitrate_index of an MPEG audio frame header: ISO/IEC 11172-3
// section 2.4.2.3 for MPEG-1 (lsf 0) and ISO/IEC 13818-3 section 2.4.2.3 for
// the low sampling frequencies of MPEG-2 and MPEG-2.5 (lsf 1). Index 0 is
// "free format" and 15 is forbidden; both are left 0 and rejected.
var mpegBitrates = [2][3][15]int{
	{
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	},
	{
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	},
}

// mpegRates holds the sampling frequencies in Hz indexed by the 2-bit
// version_id of the header (0 MPEG-2.5, 2 MPEG-2, 3 MPEG-1; 1 is reserved)
// and the 2-bit sampling_frequency field (3 is reserved).
var mpegRates = [4][3]int{
	{11025, 12000, 8000},
	{},
	{22050, 24000, 16000},
	{44100, 48000, 32000},
}

// mpegHeader is a decoded 32-bit MPEG audio frame header: ISO/IEC 11172-3
// section 2.4.1.3, extended by ISO/IEC 13818-3 (MPEG-2 low sampling
// frequencies) and by the unofficial MPEG-2.5 (version_id 0).
type mpegHeader struct {
	// key holds the fields that stay the same for every frame of one stream
	// (sync, version, layer, sampling frequency), as ffmpeg's
	// SAME_HEADER_MASK does, to tell real frames from chance sync words.
	key     uint32
	lsf     bool // MPEG-2 or MPEG-2.5
	layer   int  // 1, 2 or 3
	crc     bool // a 16-bit CRC follows the header
	mono    bool // channel mode 3, single channel
	rate    int  // sampling frequency in Hz
	bitrate int  // bit rate in bit/s
	length  int  // frame length in bytes, header included
	samples int  // PCM samples per channel in the frame
}

// parseMPEGHeader decodes the 4 bytes of b as a frame header and reports
// whether they are one. Free-format frames (bitrate index 0), whose length
// can only be found by searching for the next sync word, are rejected.
func parseMPEGHeader(b []byte) (mpegHeader, bool) {
	v := binary.BigEndian.Uint32(b)
	version := v >> 19 & 3
	layerBits := v >> 17 & 3
	bitrateIdx := v >> 12 & 15
	rateIdx := v >> 10 & 3
	if v>>21 != 0x7ff || version == 1 || layerBits == 0 || bitrateIdx == 0 || bitrateIdx == 15 || rateIdx == 3 || v&3 == 2 {
		return mpegHeader{}, false
	}
	h := mpegHeader{
		key:   v & 0xfffe0c00,
		lsf:   version != 3,
		layer: 4 - int(layerBits),
		crc:   v>>16&1 == 0,
		mono:  v>>6&3 == 3,
		rate:  mpegRates[version][rateIdx],
	}
	lsf := 0
	if h.lsf {
		lsf = 1
	}
	bitrate := mpegBitrates[lsf][h.layer-1][bitrateIdx] * 1000
	h.bitrate = bitrate
	pad := int(v >> 9 & 1)
	// Frame lengths and sample counts: ISO/IEC 11172-3 section 2.4.3.1
	// (N = 12 or 144 × bitrate / sampling frequency) and ISO/IEC 13818-3,
	// which halves the Layer III frame for the low sampling frequencies.
	switch {
	case h.layer == 1:
		h.length = (12*bitrate/h.rate + pad) * 4
		h.samples = 384
	case h.layer == 3 && h.lsf:
		h.length = 72*bitrate/h.rate + pad
		h.samples = 576
	default:
		h.length = 144*bitrate/h.rate + pad
		h.samples = 1152
	}
	return h, true
}

// mp3FirstFrameScan bounds how far past the ID3v2 tag [mp3Duration] looks for
// the first frame, and how much junk between frames it passes over, so that
// a file of junk is dealt with in bounded time (1 MiB).
const mp3FirstFrameScan = 1 << 20

// mp3Duration returns the length of an MPEG audio (normally Layer III) file.
// It skips ID3v2 tags at the start and ignores ID3v1, APEv2 and Lyrics3v2
// tags at the end (see [mp3AudioEnd]), finds the first frame and then:
//
//   - if it holds a Xing or Info header (Xing's VBR header, as written by
//     LAME into the first frame, documented at
//     http://gabriel.mp3-tech.org/mp3infotag.html) with a frame count, returns
//     frames × samples per frame / sampling frequency;
//   - if it holds a Fraunhofer VBRI header (32 bytes after the frame header),
//     does the same with the VBRI frame count;
//   - otherwise counts the frames by walking from header to header, each
//     frame's length following from its bit rate, sampling frequency and
//     padding bit; only the 4-byte headers are looked at, through a
//     [window], and no audio is decoded. The result, the same product, is
//     exact for CBR and header-less VBR files alike (ffprobe's format
//     duration is only a bit-rate estimate for the latter). Junk between
//     frames is skipped by resynchronising, and a truncated last frame is
//     not counted.
//
// Like ffprobe, it does not subtract the encoder delay and end padding
// recorded in the LAME tag that follows the Info/Xing header (576 + 529
// samples of delay, and up to a frame of padding: a few hundredths of a
// second).
func mp3Duration(w *window) (float64, error) {
	off, end, h, err := mp3Stream(w)
	if err != nil {
		return 0, err
	}
	frames, found, err := mp3HeaderFrames(w, off, h)
	if err != nil {
		return 0, err
	}
	if found {
		if frames > 0 {
			return float64(frames) * float64(h.samples) / float64(h.rate), nil
		}
		off += int64(h.length) // a header without a count: skip its silent frame
	}
	n, err := mp3Walk(w, off, end, h.key, nil)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: no complete MPEG audio frame", ErrBadMedia)
	}
	return float64(n) * float64(h.samples) / float64(h.rate), nil
}

// mp3Stream finds the MPEG audio of the file in w: it returns the offset
// and header of the first frame (past any ID3v2 tags, within
// [mp3FirstFrameScan] bytes of them) and the offset where the audio ends
// (see [mp3AudioEnd]). A file without a frame is an error wrapping
// [ErrBadMedia].
func mp3Stream(w *window) (off, end int64, h mpegHeader, err error) {
	start, err := skipID3v2(w, 0)
	if err != nil {
		return 0, 0, h, err
	}
	end, err = mp3AudioEnd(w, start)
	if err != nil {
		return 0, 0, h, err
	}
	off, h, ok, err := mp3Sync(w, start, min(end, start+mp3FirstFrameScan), end, 0)
	if err != nil {
		return 0, 0, h, err
	}
	if !ok {
		return 0, 0, h, fmt.Errorf("%w: no MPEG audio frame found", ErrBadMedia)
	}
	return off, end, h, nil
}

// mp3Walk walks the frames of the stream with [mpegHeader.key] key from
// off to end, header to header, and returns how many complete frames it
// found; visit, when not nil, is called with each one's offset and header.
// Junk between frames is skipped by resynchronising on the next run of
// matching frames, as decoders do; a truncated last frame is not counted.
func mp3Walk(w *window, off, end int64, key uint32, visit func(off int64, h mpegHeader)) (int64, error) {
	var n int64
	for off+4 <= end {
		b, err := w.bytes(off, 4)
		if err != nil {
			return 0, err
		}
		fh, ok := parseMPEGHeader(b)
		if ok && fh.key == key {
			if off+int64(fh.length) > end {
				break // a truncated last frame does not play
			}
			if visit != nil {
				visit(off, fh)
			}
			n++
			off += int64(fh.length)
			continue
		}
		next, _, ok, err := mp3Sync(w, off+1, min(end, off+1+mp3FirstFrameScan), end, key)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		off = next
	}
	return n, nil
}

// mp3Sync returns the offset and header of the first frame in [from, to)
// that is followed by two more frames of the same stream, or by the end of
// the audio at end, and reports whether there is one. A non-zero key
// restricts the search to frames of the stream with that [mpegHeader.key].
func mp3Sync(w *window, from, to, end int64, key uint32) (int64, mpegHeader, bool, error) {
	for off := from; off < to && off+4 <= end; off++ {
		b, err := w.bytes(off, 4)
		if err != nil {
			return 0, mpegHeader{}, false, err
		}
		if b[0] != 0xff {
			continue
		}
		h, ok := parseMPEGHeader(b)
		if !ok || key != 0 && h.key != key {
			continue
		}
		ok, err = mp3Confirm(w, off, h, end, 2)
		if err != nil || ok {
			return off, h, ok, err
		}
	}
	return 0, mpegHeader{}, false, nil
}

// mp3Confirm reports whether the frame with header h at off is followed by
// more matching frames (up to depth of them) or ends exactly at end.
func mp3Confirm(w *window, off int64, h mpegHeader, end int64, depth int) (bool, error) {
	for range depth {
		off += int64(h.length)
		if off == end {
			return true, nil
		}
		if off+4 > end {
			return false, nil
		}
		b, err := w.bytes(off, 4)
		if err != nil {
			return false, err
		}
		nh, ok := parseMPEGHeader(b)
		if !ok || nh.key != h.key {
			return false, nil
		}
		h = nh
	}
	return true, nil
}

// mp3HeaderFrames looks for a Xing/Info or VBRI header in the frame at off
// and returns the number of audio frames it states (0 when it states none),
// excluding the header frame itself, and whether there is such a header.
//
// The Xing header starts right after the side information (17 or 32 bytes
// for MPEG-1 mono or stereo, 9 or 17 for MPEG-2/2.5): the tag "Xing" (VBR)
// or "Info" (CBR), 4 flag bytes whose bit 0 announces a 4-byte big-endian
// frame count that follows. ffmpeg looks there ignoring the optional CRC;
// this also tries 2 bytes later when the frame has one. The VBRI header
// (Fraunhofer's encoder) sits 32 bytes after the frame header: "VBRI",
// version, delay and quality (2 bytes each), byte count and frame count (4
// bytes each, big-endian).
func mp3HeaderFrames(w *window, off int64, h mpegHeader) (int64, bool, error) {
	side := h.sideInfo()
	at := []int{4 + side}
	if h.crc {
		at = append(at, 6+side)
	}
	for _, p := range at {
		if p+12 > h.length {
			continue
		}
		b, err := w.bytes(off+int64(p), 12)
		if err != nil {
			return 0, false, err
		}
		if tag := string(b[:4]); tag == "Xing" || tag == "Info" {
			if binary.BigEndian.Uint32(b[4:8])&1 == 0 {
				return 0, true, nil
			}
			return int64(binary.BigEndian.Uint32(b[8:12])), true, nil
		}
	}
	if 4+32+18 <= h.length {
		b, err := w.bytes(off+4+32, 18)
		if err != nil {
			return 0, false, err
		}
		if string(b[:4]) == "VBRI" {
			return int64(binary.BigEndian.Uint32(b[14:18])), true, nil
		}
	}
	return 0, false, nil
}

// mp3AudioEnd returns the offset where the MPEG audio ends: the file size
// less any trailing tags, in whatever order they come. It recognises the
// 128-byte ID3v1 tag ("TAG"), the APEv2 tag (a 32-byte footer "APETAGEX"
// whose little-endian size at byte 12 covers items and footer, plus a
// 32-byte header when bit 31 of the flags at byte 20 is set; see
// https://wiki.hydrogenaud.io/index.php?title=APEv2_specification) and the
// Lyrics3v2 tag (ending in a 6-digit size and "LYRICS200"). A tag that would
// reach before start is an error.
func mp3AudioEnd(w *window, start int64) (int64, error) {
	end := w.size
	for range 8 {
		id3v1, err := w.has(end-128, "TAG")
		if err != nil {
			return 0, err
		}
		ape, err := w.has(end-32, "APETAGEX")
		if err != nil {
			return 0, err
		}
		lyrics, err := w.has(end-9, "LYRICS200")
		if err != nil {
			return 0, err
		}
		var n int64
		switch {
		case id3v1:
			n = 128
		case ape:
			b, err := w.bytes(end-32, 32)
			if err != nil {
				return 0, err
			}
			n = int64(binary.LittleEndian.Uint32(b[12:16]))
			if binary.LittleEndian.Uint32(b[20:24])&(1<<31) != 0 {
				n += 32
			}
			if n < 32 {
				return 0, fmt.Errorf("%w: APE tag of %d bytes", ErrBadMedia, n)
			}
		case lyrics && end >= 15:
			b, err := w.bytes(end-15, 6)
			if err != nil {
				return 0, err
			}
			for _, c := range b {
				if c < '0' || c > '9' {
					return 0, fmt.Errorf("%w: bad Lyrics3v2 size %q", ErrBadMedia, b)
				}
				n = n*10 + int64(c-'0')
			}
			n += 15
		default:
			return end, nil
		}
		if n > end-start {
			return 0, fmt.Errorf("%w: trailing tag of %d bytes overlaps the audio", ErrBadMedia, n)
		}
		end -= n
	}
	return end, nil
}

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
