package probe

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// flacDuration returns the length of a native FLAC file from its STREAMINFO
// block (RFC 9639 section 8.2): total samples (36 bits) / sample rate (20
// bits). The file starts with "fLaC" (section 6), possibly after an ID3v2
// tag, which some taggers add and ffmpeg skips; the first metadata block
// must be STREAMINFO, 34 bytes long. A total of 0 means "unknown" and is an
// error, since finding the length would mean reading the last frame.
func flacDuration(w *window) (float64, error) {
	start, err := skipID3v2(w, 0)
	if err != nil {
		return 0, err
	}
	if ok, err := w.has(start, "fLaC"); err != nil || !ok {
		return 0, errors.Join(err, fmt.Errorf("%w: no fLaC marker", ErrBadMedia))
	}
	b, err := w.bytes(start+4, 4+34)
	if err != nil {
		return 0, err
	}
	rate, total, err := parseStreamInfo(b)
	if err != nil {
		return 0, err
	}
	if total == 0 {
		return 0, fmt.Errorf("%w: FLAC total samples unknown", ErrBadMedia)
	}
	return float64(total) / float64(rate), nil
}

// parseStreamInfo decodes a FLAC metadata block header followed by a
// STREAMINFO block (RFC 9639 sections 8.1 and 8.2) and returns the sample
// rate in Hz, never 0, and the total number of samples per channel, 0 when
// the encoder did not know it.
func parseStreamInfo(b []byte) (rate int, total int64, err error) {
	if len(b) < 4+34 {
		return 0, 0, fmt.Errorf("%w: short STREAMINFO", ErrBadMedia)
	}
	typ := b[0] & 0x7f
	length := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	if typ != 0 || length != 34 {
		return 0, 0, fmt.Errorf("%w: first FLAC metadata block is type %d, length %d, not STREAMINFO", ErrBadMedia, typ, length)
	}
	si := b[4:]
	// Bytes 10-17: sample rate (20 bits), channels - 1 (3), bits per
	// sample - 1 (5), total samples (36).
	rate = int(si[10])<<12 | int(si[11])<<4 | int(si[12])>>4
	total = int64(si[13]&0x0f)<<32 | int64(binary.BigEndian.Uint32(si[14:18]))
	if rate == 0 {
		return 0, 0, fmt.Errorf("%w: FLAC sample rate 0", ErrBadMedia)
	}
	return rate, total, nil
}
