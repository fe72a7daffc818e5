package probe

import (
	"encoding/binary"
	"fmt"
)

// mp4MaxBoxes bounds how many sibling boxes [mp4Duration] walks in one
// container, so a file of tiny boxes is rejected in bounded time.
const mp4MaxBoxes = 1 << 16

// mp4Box is a box header (ISO/IEC 14496-12 section 4.2): a 32-bit
// big-endian size and a 4-character type, the size being 1 when a 64-bit
// size follows the type and 0 when the box runs to the end of its container
// (the file, for a top-level box).
type mp4Box struct {
	typ  string
	body int64 // offset of the box's content
	end  int64 // offset just past the box
}

// readMP4Box decodes the box header at off inside a container ending at end.
func readMP4Box(w *window, off, end int64) (mp4Box, error) {
	b, err := w.bytes(off, 8)
	if err != nil {
		return mp4Box{}, err
	}
	size := int64(binary.BigEndian.Uint32(b))
	box := mp4Box{typ: string(b[4:8]), body: off + 8}
	switch size {
	case 0:
		size = end - off
	case 1:
		b, err := w.bytes(off+8, 8)
		if err != nil {
			return mp4Box{}, err
		}
		u := binary.BigEndian.Uint64(b)
		if u > uint64(end-off) {
			return mp4Box{}, fmt.Errorf("%w: %q box at %d runs past its container", ErrBadMedia, box.typ, off)
		}
		size = int64(u)
		box.body += 8
	}
	if size < box.body-off || size > end-off {
		return mp4Box{}, fmt.Errorf("%w: %q box at %d has size %d", ErrBadMedia, box.typ, off, size)
	}
	box.end = off + size
	return box, nil
}

// mp4Children calls fn for each box inside [from, to) until fn returns
// false or an error.
func mp4Children(w *window, from, to int64, fn func(mp4Box) (bool, error)) error {
	for off, n := from, 0; off+8 <= to; n++ {
		if n == mp4MaxBoxes {
			return fmt.Errorf("%w: more than %d boxes", ErrBadMedia, mp4MaxBoxes)
		}
		box, err := readMP4Box(w, off, to)
		if err != nil {
			return err
		}
		more, err := fn(box)
		if err != nil || !more {
			return err
		}
		off = box.end
	}
	return nil
}

// mp4Time is a duration in units of 1/scale second as a header box states
// it; zero when the box is missing or says the duration is unknown.
type mp4Time struct {
	scale uint32
	dur   uint64
}

// seconds returns t in seconds and whether it is known.
func (t mp4Time) seconds() (float64, bool) {
	if t.scale == 0 || t.dur == 0 {
		return 0, false
	}
	return float64(t.dur) / float64(t.scale), true
}

// readMP4Header reads the timescale and duration of a movie header (mvhd,
// ISO/IEC 14496-12 section 8.2.2) or media header (mdhd, section 8.4.2)
// box, which share their layout: version and flags, then creation and
// modification times, timescale and duration, the times and duration being
// 32 bits in version 0 and 64 bits in version 1. A duration of all ones
// means unknown.
func readMP4Header(w *window, box mp4Box) (mp4Time, error) {
	b, err := w.bytes(box.body, int(min(32, box.end-box.body)))
	if err != nil {
		return mp4Time{}, err
	}
	switch {
	case len(b) >= 20 && b[0] == 0:
		t := mp4Time{binary.BigEndian.Uint32(b[12:16]), uint64(binary.BigEndian.Uint32(b[16:20]))}
		if t.dur == 0xffffffff {
			t.dur = 0
		}
		return t, nil
	case len(b) >= 32 && b[0] == 1:
		t := mp4Time{binary.BigEndian.Uint32(b[20:24]), binary.BigEndian.Uint64(b[24:32])}
		if t.dur == 1<<64-1 {
			t.dur = 0
		}
		return t, nil
	}
	return mp4Time{}, fmt.Errorf("%w: bad %q box", ErrBadMedia, box.typ)
}

// readMP4Duration reads the duration field of a track header (tkhd, section
// 8.3.2: after version and flags, creation and modification times, track
// ID and 4 reserved bytes) or a movie extends header (mehd, section 8.8.2:
// right after version and flags), 32 or 64 bits by version; all ones means
// unknown and gives 0.
func readMP4Duration(w *window, box mp4Box) (uint64, error) {
	at := [2]int64{4, 4} // mehd
	if box.typ == "tkhd" {
		at = [2]int64{20, 28}
	}
	b, err := w.bytes(box.body, 1)
	if err != nil {
		return 0, err
	}
	v := b[0]
	if v > 1 {
		return 0, fmt.Errorf("%w: %q box version %d", ErrBadMedia, box.typ, v)
	}
	n := 4 + 4*int64(v)
	if box.body+at[v]+n > box.end {
		return 0, fmt.Errorf("%w: short %q box", ErrBadMedia, box.typ)
	}
	b, err = w.bytes(box.body+at[v], int(n))
	if err != nil {
		return 0, err
	}
	if v == 0 {
		d := uint64(binary.BigEndian.Uint32(b))
		if d == 0xffffffff {
			d = 0
		}
		return d, nil
	}
	d := binary.BigEndian.Uint64(b)
	if d == 1<<64-1 {
		d = 0
	}
	return d, nil
}

// mp4Track is what [mp4Duration] and [mp4Video] need from a trak box.
type mp4Track struct {
	handler       string // hdlr handler_type: "soun", "vide", … (section 8.4.3)
	id            uint32 // track_ID from tkhd
	tkhd          uint64 // presentation duration in the movie timescale
	width, height int    // tkhd presentation size, pixels (0 for sound)
	mdhd          mp4Time
	entry         string // the first sample entry's type ("mp4a", "alac"; see readMP4SampleEntry)
}

// sound reports whether t is a sound track.
func (t mp4Track) sound() bool { return t.handler == "soun" }

// readMP4Track reads the track header (trak → tkhd: duration, ID and
// size), media header (trak → mdia → mdhd), handler (trak → mdia → hdlr)
// and first sample entry's type (trak → mdia → minf → stbl → stsd) of a
// trak box.
func readMP4Track(w *window, trak mp4Box) (mp4Track, error) {
	var t mp4Track
	err := mp4Children(w, trak.body, trak.end, func(b mp4Box) (bool, error) {
		var err error
		switch b.typ {
		case "tkhd":
			if t.tkhd, err = readMP4Duration(w, b); err == nil {
				t.id, err = readMP4Uint32(w, b, 12, 20)
			}
			if err == nil {
				t.width, t.height, err = readMP4Size(w, b)
			}
		case "mdia":
			err = mp4Children(w, b.body, b.end, func(b mp4Box) (bool, error) {
				var err error
				switch b.typ {
				case "mdhd":
					t.mdhd, err = readMP4Header(w, b)
				case "minf":
					t.entry, err = readMP4SampleEntry(w, b)
				case "hdlr":
					// Version and flags, pre_defined, handler_type.
					if b.end-b.body >= 12 {
						var h []byte
						if h, err = w.bytes(b.body+8, 4); err == nil {
							t.handler = string(h)
						}
					}
				}
				return true, err
			})
		}
		return true, err
	})
	return t, err
}

// readMP4Uint32 reads the 32-bit field of a full box at offset at0 from the
// start of its content in version 0 of the box, or at1 in version 1.
func readMP4Uint32(w *window, box mp4Box, at0, at1 int64) (uint32, error) {
	b, err := w.bytes(box.body, 1)
	if err != nil {
		return 0, err
	}
	at := at0
	if b[0] == 1 {
		at = at1
	}
	if box.body+at+4 > box.end {
		return 0, fmt.Errorf("%w: short %q box", ErrBadMedia, box.typ)
	}
	b, err = w.bytes(box.body+at, 4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b), nil
}

// mp4Movie is what a moov box says of the whole movie: the mvhd duration
// in its timescale, the mvex box of a fragmented file (type "" when there
// is none) and its mehd fragment duration, in the mvhd timescale.
type mp4Movie struct {
	mvhd mp4Time
	mvex mp4Box
	mehd uint64
}

// readMP4Movie finds the moov box of the MPEG-4 file in w, reads its mvhd,
// mvex and mehd, and calls onTrak with each trak box in order; an error
// from onTrak ends the walk and is returned. A file without a moov box is
// an error wrapping [ErrBadMedia].
func readMP4Movie(w *window, onTrak func(mp4Box) error) (mp4Movie, error) {
	var moov mp4Box
	err := mp4Children(w, 0, w.size, func(b mp4Box) (bool, error) {
		if b.typ == "moov" {
			moov = b
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return mp4Movie{}, err
	}
	if moov.typ == "" {
		return mp4Movie{}, fmt.Errorf("%w: no moov box", ErrBadMedia)
	}
	var mv mp4Movie
	err = mp4Children(w, moov.body, moov.end, func(b mp4Box) (bool, error) {
		var err error
		switch b.typ {
		case "mvhd":
			mv.mvhd, err = readMP4Header(w, b)
		case "trak":
			err = onTrak(b)
		case "mvex":
			mv.mvex = b
			err = mp4Children(w, b.body, b.end, func(b mp4Box) (bool, error) {
				var err error
				if b.typ == "mehd" {
					mv.mehd, err = readMP4Duration(w, b)
				}
				return true, err
			})
		}
		return true, err
	})
	return mv, err
}

// mp4Duration returns the length of an MPEG-4 file (.m4a, .mp4; AAC, ALAC or
// any other codec) from its boxes (ISO/IEC 14496-12), without touching the
// media data. It walks the top-level boxes, seeking past mdat, to the moov
// box, which may come before or after the media. Then it takes, in order of
// preference, the first sound track's tkhd duration in the movie timescale
// (the presentation length after its edit list, which trims AAC's encoder
// priming, as ffprobe does), that track's mdhd duration in its own
// timescale, the mvhd movie duration, and for a fragmented file the mehd
// fragment duration. A fragmented file without any of these (ffmpeg's
// empty_moov) gets the sum of the sound track's sample durations in the
// movie fragments ([mp4FragmentsDuration]). A file stating none of these is
// an error.
func mp4Duration(w *window) (float64, error) {
	var (
		track  mp4Track
		tracks int
	)
	mv, err := readMP4Movie(w, func(b mp4Box) error {
		t, err := readMP4Track(w, b)
		if err == nil && t.sound() && !track.sound() {
			track = t
		}
		tracks++
		return err
	})
	if err != nil {
		return 0, err
	}
	if tracks > 0 && !track.sound() {
		return 0, fmt.Errorf("%w: no sound track in MPEG-4 file", ErrBadMedia)
	}
	if s, ok := (mp4Time{mv.mvhd.scale, track.tkhd}).seconds(); ok {
		return s, nil
	}
	if s, ok := track.mdhd.seconds(); ok {
		return s, nil
	}
	if s, ok := mv.mvhd.seconds(); ok {
		return s, nil
	}
	if s, ok := (mp4Time{mv.mvhd.scale, mv.mehd}).seconds(); ok {
		return s, nil
	}
	if mv.mvex.typ != "" && track.sound() && track.mdhd.scale > 0 {
		dur, err := mp4FragmentsDuration(w, mv.mvex, track.id)
		if err != nil {
			return 0, err
		}
		if s, ok := (mp4Time{track.mdhd.scale, dur}).seconds(); ok {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: MPEG-4 file states no duration", ErrBadMedia)
}

// mp4FragmentsDuration returns the total duration, in the track's media
// timescale, of the samples of track id in all movie fragments of the file
// (ISO/IEC 14496-12 section 8.8): for each moof → traf of the track, the
// trun boxes give a sample count and, when flag 0x100 is set, a duration per
// sample; otherwise every sample lasts the tfhd default (flag 0x08) or
// failing that the trex default in mvex. Only the small moof boxes are
// read; the mdat boxes are sought past.
func mp4FragmentsDuration(w *window, mvex mp4Box, id uint32) (uint64, error) {
	var trexDefault uint32
	err := mp4Children(w, mvex.body, mvex.end, func(b mp4Box) (bool, error) {
		if b.typ != "trex" {
			return true, nil
		}
		// Version and flags, track_ID, default_sample_description_index,
		// default_sample_duration.
		if b.end-b.body < 16 {
			return false, fmt.Errorf("%w: short trex box", ErrBadMedia)
		}
		body, err := w.bytes(b.body, 16)
		if err != nil {
			return false, err
		}
		if binary.BigEndian.Uint32(body[4:8]) == id {
			trexDefault = binary.BigEndian.Uint32(body[12:16])
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	var total uint64
	err = mp4Children(w, 0, w.size, func(b mp4Box) (bool, error) {
		if b.typ != "moof" {
			return true, nil
		}
		return true, mp4Children(w, b.body, b.end, func(b mp4Box) (bool, error) {
			if b.typ != "traf" {
				return true, nil
			}
			d, err := mp4TrafDuration(w, b, id, trexDefault)
			total += d
			return true, err
		})
	})
	return total, err
}

// mp4TrafDuration returns the duration of the samples of track id in one
// traf box, 0 when the box is for another track.
func mp4TrafDuration(w *window, traf mp4Box, id, def uint32) (uint64, error) {
	var (
		total uint64
		mine  bool
	)
	err := mp4Children(w, traf.body, traf.end, func(b mp4Box) (bool, error) {
		switch b.typ {
		case "tfhd":
			// Version and flags, track_ID, then optional fields by flag:
			// base_data_offset (0x01, 8 bytes), sample_description_index
			// (0x02, 4), default_sample_duration (0x08, 4).
			if b.end-b.body < 8 {
				return false, fmt.Errorf("%w: short tfhd box", ErrBadMedia)
			}
			hdr, err := w.bytes(b.body, int(min(32, b.end-b.body)))
			if err != nil {
				return false, err
			}
			flags := binary.BigEndian.Uint32(hdr[0:4]) & 0xffffff
			mine = binary.BigEndian.Uint32(hdr[4:8]) == id
			at := 8
			if flags&0x01 != 0 {
				at += 8
			}
			if flags&0x02 != 0 {
				at += 4
			}
			if flags&0x08 != 0 {
				if at+4 > len(hdr) {
					return false, fmt.Errorf("%w: short tfhd box", ErrBadMedia)
				}
				def = binary.BigEndian.Uint32(hdr[at : at+4])
			}
		case "trun":
			if !mine {
				return false, nil
			}
			d, err := mp4TrunDuration(w, b, def)
			total += d
			return err == nil, err
		}
		return true, nil
	})
	return total, err
}

// mp4TrunDuration returns the duration of the samples of one trun box
// (ISO/IEC 14496-12 section 8.8.8): version and flags, sample_count, an
// optional data_offset (flag 0x01) and first_sample_flags (0x04), then per
// sample the optional duration (0x100), size (0x200), flags (0x400) and
// composition time offset (0x800), 4 bytes each. Samples without their own
// duration last def.
func mp4TrunDuration(w *window, b mp4Box, def uint32) (uint64, error) {
	if b.end-b.body < 8 {
		return 0, fmt.Errorf("%w: short trun box", ErrBadMedia)
	}
	hdr, err := w.bytes(b.body, 8)
	if err != nil {
		return 0, err
	}
	flags := binary.BigEndian.Uint32(hdr[0:4]) & 0xffffff
	count := int64(binary.BigEndian.Uint32(hdr[4:8]))
	at := b.body + 8
	if flags&0x01 != 0 {
		at += 4
	}
	if flags&0x04 != 0 {
		at += 4
	}
	if flags&0x100 == 0 {
		return uint64(count) * uint64(def), nil
	}
	var entry int64
	for _, f := range []uint32{0x100, 0x200, 0x400, 0x800} {
		if flags&f != 0 {
			entry += 4
		}
	}
	if count > (b.end-at)/entry {
		return 0, fmt.Errorf("%w: trun box of %d samples runs past its end", ErrBadMedia, count)
	}
	var total uint64
	for i := range count {
		d, err := w.bytes(at+i*entry, 4)
		if err != nil {
			return 0, err
		}
		total += uint64(binary.BigEndian.Uint32(d))
	}
	return total, nil
}
