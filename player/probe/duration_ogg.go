package probe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// oggPage is the fixed part of an Ogg page header (RFC 3533 section 6):
// "OggS", version 0, header type, 64-bit granule position, serial number,
// page sequence number, CRC and the segment table.
type oggPage struct {
	bos     bool   // header type bit 1: first page of a logical stream
	granule int64  // codec-defined position; -1 when no packet ends here
	serial  uint32 // logical stream
	header  int    // header length in bytes: 27 + number of segments
	body    int    // body length in bytes: sum of the segment table
}

// readOggPage decodes the page header at off, checking that the whole page
// lies inside the file.
func readOggPage(w *window, off int64) (oggPage, error) {
	b, err := w.bytes(off, 27)
	if err != nil {
		return oggPage{}, err
	}
	if string(b[:4]) != "OggS" || b[4] != 0 {
		return oggPage{}, fmt.Errorf("%w: no Ogg page at %d", ErrBadMedia, off)
	}
	p := oggPage{
		bos:     b[5]&2 != 0,
		granule: int64(binary.LittleEndian.Uint64(b[6:14])),
		serial:  binary.LittleEndian.Uint32(b[14:18]),
		header:  27 + int(b[26]),
	}
	seg, err := w.bytes(off+27, int(b[26]))
	if err != nil {
		return oggPage{}, err
	}
	for _, n := range seg {
		p.body += int(n)
	}
	if int64(p.header+p.body) > w.size-off {
		return oggPage{}, fmt.Errorf("%w: Ogg page at %d runs past the end", ErrBadMedia, off)
	}
	return p, nil
}

// oggCodec is what the identification header of an Ogg logical stream tells
// about turning its granule positions into time.
type oggCodec struct {
	serial  uint32
	rate    int   // granule positions per second
	preSkip int64 // granules to subtract from the end position (Opus)
}

// oggIdentify reads the identification header at the start of a page body
// and reports the codec's timing, or false for a codec it does not know:
//
//   - Vorbis I specification section 4.2.2: "\x01vorbis", 4-byte version,
//     1-byte channels, 4-byte little-endian sample rate; the granule
//     position counts PCM samples;
//   - RFC 7845 section 5.1 (Opus): "OpusHead", version, channels, 2-byte
//     little-endian pre-skip; granules are always 48 kHz samples;
//   - Ogg FLAC mapping (https://xiph.org/flac/ogg_mapping.html): "\x7fFLAC",
//     2-byte version, 2-byte header count, "fLaC", then a STREAMINFO block
//     (RFC 9639 section 8.2) giving the sample rate.
func oggIdentify(b []byte) (oggCodec, bool) {
	switch {
	case len(b) >= 16 && bytes.HasPrefix(b, []byte("\x01vorbis")):
		return oggCodec{rate: int(binary.LittleEndian.Uint32(b[12:16]))}, true
	case len(b) >= 12 && bytes.HasPrefix(b, []byte("OpusHead")):
		return oggCodec{rate: 48000, preSkip: int64(binary.LittleEndian.Uint16(b[10:12]))}, true
	case len(b) >= 13+4+34 && bytes.HasPrefix(b, []byte("\x7fFLAC")) && string(b[9:13]) == "fLaC":
		rate, _, err := parseStreamInfo(b[13:])
		if err != nil {
			return oggCodec{}, false
		}
		return oggCodec{rate: rate}, true
	}
	return oggCodec{}, false
}

// oggMaxStreams bounds how many beginning-of-stream pages [oggDuration]
// examines for an audio stream it knows.
const oggMaxStreams = 16

// oggDuration returns the length of an Ogg Vorbis, Opus or FLAC file (RFC
// 3533). It finds the first logical stream of a known codec among the
// beginning-of-stream pages at the start ([oggIdentify]), then searches the
// file backwards from its end for the last page of that stream that ends a
// packet and whose CRC checks, and returns that page's granule position,
// less the Opus pre-skip (RFC 7845 section 4.5), divided by the rate. A
// stream with no audio after its headers is an error.
//
// It assumes the stream starts at granule 0, as encoders write it; for a
// chained file (several streams one after another) it returns the length of
// the first one.
func oggDuration(w *window) (float64, error) {
	var (
		codec oggCodec
		found bool
		off   int64
	)
	for range oggMaxStreams {
		p, err := readOggPage(w, off)
		if err != nil {
			return 0, err
		}
		if !p.bos {
			break
		}
		body, err := w.bytes(off+int64(p.header), min(p.body, 64))
		if err != nil {
			return 0, err
		}
		if c, ok := oggIdentify(body); ok {
			codec, found = c, true
			codec.serial = p.serial
			break
		}
		off += int64(p.header + p.body)
	}
	if !found {
		return 0, fmt.Errorf("%w: no Vorbis, Opus or FLAC stream in Ogg file", ErrBadMedia)
	}
	if codec.rate <= 0 {
		return 0, fmt.Errorf("%w: Ogg stream rate %d", ErrBadMedia, codec.rate)
	}
	granule, err := oggLastGranule(w, codec.serial)
	if err != nil {
		return 0, err
	}
	samples := granule - codec.preSkip
	if samples <= 0 {
		return 0, fmt.Errorf("%w: no audio in Ogg stream (last granule %d, pre-skip %d)", ErrBadMedia, granule, codec.preSkip)
	}
	return float64(samples) / float64(codec.rate), nil
}

// oggLastGranule returns the granule position of the last valid page of
// stream serial that ends a packet, reading the file backwards a window at
// a time. Trailing garbage and a truncated last page are passed over.
func oggLastGranule(w *window, serial uint32) (int64, error) {
	var cand []int64
	for hi := w.size; hi > 0; {
		lo := max(0, hi-windowSize)
		b, err := w.bytes(lo, int(hi-lo))
		if err != nil {
			return 0, err
		}
		// Collect candidate offsets first: checking a page moves the window.
		cand = cand[:0]
		for i := len(b); ; {
			i = bytes.LastIndex(b[:i], []byte("OggS"))
			if i < 0 {
				break
			}
			cand = append(cand, lo+int64(i))
		}
		for _, off := range cand {
			p, err := readOggPage(w, off)
			if err != nil && !errors.Is(err, ErrBadMedia) {
				return 0, err
			}
			if err != nil || p.serial != serial || p.granule == -1 {
				continue // not a page, or not one that helps
			}
			ok, err := oggCRCOK(w, off, p)
			if err != nil {
				return 0, err
			}
			if ok {
				return p.granule, nil
			}
		}
		if lo == 0 {
			break
		}
		hi = lo + 3 // a capture pattern may straddle the windows
	}
	return 0, fmt.Errorf("%w: no complete final Ogg page", ErrBadMedia)
}

// oggCRCTable is the lookup table for the Ogg page checksum: CRC-32 with the
// polynomial 0x04c11db7, fed most significant bit first, initial value 0
// and no final XOR (RFC 3533 section 6, field "CRC_checksum"). Go's
// hash/crc32 only offers the bit-reversed form.
var oggCRCTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// oggCRCOK reports whether the checksum of the page p at off matches; the
// checksum is computed over the whole page with its own field (bytes 22-25)
// taken as zero.
func oggCRCOK(w *window, off int64, p oggPage) (bool, error) {
	b, err := w.bytes(off, p.header+p.body)
	if err != nil {
		return false, err
	}
	var crc uint32
	for i, c := range b {
		if i >= 22 && i < 26 {
			c = 0
		}
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^c]
	}
	return crc == binary.LittleEndian.Uint32(b[22:26]), nil
}
