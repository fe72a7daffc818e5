package probe

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The Matroska element IDs (RFC 9559 section 5.1, EBML RFC 8794 section
// 11.2) [webmVideo] reads. IDs keep their length marker bits.
const (
	ebmlHeaderID     = 0x1A45DFA3
	ebmlSegmentID    = 0x18538067
	ebmlInfoID       = 0x1549A966
	ebmlTimescaleID  = 0x2AD7B1 // TimestampScale, nanoseconds per tick
	ebmlDurationID   = 0x4489   // Duration, float, in ticks
	ebmlTracksID     = 0x1654AE6B
	ebmlTrackEntryID = 0xAE
	ebmlTrackTypeID  = 0x83 // 1 video, 2 audio
	ebmlVideoID      = 0xE0
	ebmlPixelWidth   = 0xB0
	ebmlPixelHeight  = 0xBA
	ebmlClusterID    = 0x1F43B675
)

// ebmlMaxElements bounds how many sibling elements [webmVideo] walks in
// one master element, so a file of tiny elements is rejected in bounded
// time.
const ebmlMaxElements = 1 << 16

// ebmlElement is an element header: its ID, where its data starts, and
// where it ends; end is -1 for an element of unknown size (all data bits
// of its size set, RFC 8794 section 6.2), which runs to the end of its
// parent.
type ebmlElement struct {
	id        uint32
	body, end int64
}

// readEBMLElement decodes the element header at off inside a master
// element ending at end: a variable-length ID of 1 to 4 bytes and a
// variable-length size of 1 to 8 bytes (RFC 8794 sections 4 and 5), the
// number of leading zero bits of the first byte plus one giving the length.
func readEBMLElement(w *window, off, end int64) (ebmlElement, error) {
	b, err := w.bytes(off, int(min(12, end-off)))
	if err != nil {
		return ebmlElement{}, err
	}
	idLen := vintLen(b)
	if idLen == 0 || idLen > 4 || idLen >= len(b) {
		return ebmlElement{}, fmt.Errorf("%w: bad EBML element ID at %d", ErrBadMedia, off)
	}
	var id uint32
	for _, c := range b[:idLen] {
		id = id<<8 | uint32(c)
	}
	s := b[idLen:]
	sizeLen := vintLen(s)
	if sizeLen == 0 || sizeLen > len(s) {
		return ebmlElement{}, fmt.Errorf("%w: bad EBML element size at %d", ErrBadMedia, off)
	}
	size := uint64(s[0]) & (0xff >> sizeLen)
	allOnes := size == 0xff>>sizeLen
	for _, c := range s[1:sizeLen] {
		size = size<<8 | uint64(c)
		allOnes = allOnes && c == 0xff
	}
	e := ebmlElement{id: id, body: off + int64(idLen+sizeLen)}
	switch {
	case allOnes:
		e.end = -1
	case size > uint64(end-e.body):
		return ebmlElement{}, fmt.Errorf("%w: EBML element %#x at %d runs past its parent", ErrBadMedia, id, off)
	default:
		e.end = e.body + int64(size)
	}
	return e, nil
}

// vintLen returns the length in bytes of the variable-length integer
// starting b (its first byte's leading zero bits plus one), 0 when b is
// empty or starts with a zero byte, which no valid one does.
func vintLen(b []byte) int {
	if len(b) == 0 || b[0] == 0 {
		return 0
	}
	n := 1
	for m := byte(0x80); b[0]&m == 0; m >>= 1 {
		n++
	}
	return n
}

// ebmlChildren calls fn for each element inside [from, to) until fn
// returns false or an error. An element of unknown size gets end -1; fn
// must not ask for more after one unless it knows where it ends.
func ebmlChildren(w *window, from, to int64, fn func(ebmlElement) (bool, error)) error {
	for off, n := from, 0; off < to; n++ {
		if n == ebmlMaxElements {
			return fmt.Errorf("%w: more than %d EBML elements", ErrBadMedia, ebmlMaxElements)
		}
		e, err := readEBMLElement(w, off, to)
		if err != nil {
			return err
		}
		more, err := fn(e)
		if err != nil || !more {
			return err
		}
		if e.end < 0 {
			return nil // cannot skip an element of unknown size
		}
		off = e.end
	}
	return nil
}

// ebmlUint reads an unsigned integer element of 0 to 8 bytes (RFC 8794
// section 7.2; an empty one is 0).
func ebmlUint(w *window, e ebmlElement) (uint64, error) {
	n := e.end - e.body
	if e.end < 0 || n > 8 {
		return 0, fmt.Errorf("%w: bad EBML integer %#x", ErrBadMedia, e.id)
	}
	b, err := w.bytes(e.body, int(n))
	if err != nil {
		return 0, err
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v, nil
}

// ebmlFloat reads a float element of 0, 4 or 8 bytes (RFC 8794 section
// 7.3; an empty one is 0).
func ebmlFloat(w *window, e ebmlElement) (float64, error) {
	n := e.end - e.body
	if e.end < 0 || (n != 0 && n != 4 && n != 8) {
		return 0, fmt.Errorf("%w: bad EBML float %#x", ErrBadMedia, e.id)
	}
	b, err := w.bytes(e.body, int(n))
	if err != nil {
		return 0, err
	}
	switch n {
	case 4:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
	case 8:
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	}
	return 0, nil
}

// webmVideo reads a WebM (or any Matroska) file's headers, RFC 9559: the
// EBML header, then in the Segment the Info element's TimestampScale
// (nanoseconds per tick, default 1,000,000) and Duration (a float, in
// ticks), and in Tracks the first TrackEntry of TrackType 1 (video) with
// its PixelWidth and PixelHeight. It stops at the first Cluster (the media
// data) or element of unknown size, so it reads a few kilobytes whatever
// the file's length. A segment of unknown size (a live recording) is
// read to the end of the file. A file without a Duration (MediaRecorder's
// output states none) gets 0; one without a video track is still a video
// (video is always true: browsers play an audio-only WebM in a video
// element as well), but audioOnly tells it apart: [Probe] makes it a song. Errors wrap [ErrBadMedia] for a file that is not EBML,
// has no Segment, or is truncated or malformed before its headers end.
func webmVideo(w *window) (videoInfo, error) {
	head, err := readEBMLElement(w, 0, w.size)
	if err != nil {
		return videoInfo{}, err
	}
	if head.id != ebmlHeaderID || head.end < 0 {
		return videoInfo{}, fmt.Errorf("%w: no EBML header", ErrBadMedia)
	}
	var seg ebmlElement
	err = ebmlChildren(w, head.end, w.size, func(e ebmlElement) (bool, error) {
		if e.id == ebmlSegmentID {
			seg = e
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return videoInfo{}, err
	}
	if seg.id == 0 {
		return videoInfo{}, fmt.Errorf("%w: no Matroska Segment", ErrBadMedia)
	}
	end := seg.end
	if end < 0 {
		end = w.size
	}
	info := videoInfo{video: true}
	var (
		scale            uint64 = 1_000_000
		ticks            float64
		gotInfo, gotTrks bool
	)
	err = ebmlChildren(w, seg.body, end, func(e ebmlElement) (bool, error) {
		if e.id == ebmlClusterID || e.end < 0 {
			return false, nil
		}
		var err error
		switch e.id {
		case ebmlInfoID:
			gotInfo = true
			err = ebmlChildren(w, e.body, e.end, func(c ebmlElement) (bool, error) {
				var err error
				switch c.id {
				case ebmlTimescaleID:
					scale, err = ebmlUint(w, c)
				case ebmlDurationID:
					ticks, err = ebmlFloat(w, c)
				}
				return err == nil, err
			})
		case ebmlTracksID:
			gotTrks = true
			info.audioOnly = true // until a video track is found
			err = ebmlChildren(w, e.body, e.end, func(c ebmlElement) (bool, error) {
				if c.id != ebmlTrackEntryID || c.end < 0 {
					return true, nil
				}
				t, err := webmTrack(w, c)
				if err == nil && t.video {
					info.width, info.height = t.width, t.height
					info.audioOnly = false
					return false, nil
				}
				return err == nil, err
			})
		}
		return err == nil && !(gotInfo && gotTrks), err
	})
	if err != nil {
		return videoInfo{}, err
	}
	if !gotInfo {
		return videoInfo{}, fmt.Errorf("%w: no Matroska Info before the media", ErrBadMedia)
	}
	if scale == 0 {
		return videoInfo{}, fmt.Errorf("%w: zero TimestampScale", ErrBadMedia)
	}
	info.dur = ticks * float64(scale) / 1e9
	return info, nil
}

// webmTrack reads a TrackEntry: its TrackType and, for a video track, the
// PixelWidth and PixelHeight of its Video element. The result's video is
// true for TrackType 1.
func webmTrack(w *window, entry ebmlElement) (videoInfo, error) {
	var t videoInfo
	err := ebmlChildren(w, entry.body, entry.end, func(c ebmlElement) (bool, error) {
		if c.end < 0 {
			return false, nil
		}
		switch c.id {
		case ebmlTrackTypeID:
			typ, err := ebmlUint(w, c)
			t.video = typ == 1
			return err == nil, err
		case ebmlVideoID:
			return true, ebmlChildren(w, c.body, c.end, func(v ebmlElement) (bool, error) {
				var (
					n   uint64
					err error
				)
				switch v.id {
				case ebmlPixelWidth:
					n, err = ebmlUint(w, v)
					t.width = int(min(n, 1<<16))
				case ebmlPixelHeight:
					n, err = ebmlUint(w, v)
					t.height = int(min(n, 1<<16))
				}
				return err == nil, err
			})
		}
		return true, nil
	})
	return t, err
}
