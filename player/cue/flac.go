package cue

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"earshot/player/textfile"
)

// ErrNoFLACCueSheet is returned by [ReadFLAC] for a FLAC file without a
// CUESHEET block with tracks.
var ErrNoFLACCueSheet = errors.New("no FLAC CUESHEET block")

// maxFLACBlocks is the most metadata blocks [ReadFLAC] looks through.
const maxFLACBlocks = 128

// ReadFLAC reads the CUESHEET metadata block of the native FLAC file r
// (RFC 9639 section 8.7), which some rippers embed instead of a cue sheet
// file, as a [Sheet] of one File with no name: track numbers and start
// times (each track's offset plus its INDEX 01 offset, else its first
// index's, in samples, divided by the STREAMINFO sample rate), no titles.
// The lead-out track is left out. The file may start with an ID3v2 tag. It
// returns [ErrNoFLACCueSheet] when there is no such block, and an error for
// a file that is not FLAC or whose blocks are cut short.
func ReadFLAC(r io.ReadSeeker) (Sheet, error) {
	var head [10]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return Sheet{}, fmt.Errorf("read FLAC cue sheet: %w", err)
	}
	start := int64(0)
	if string(head[:3]) == "ID3" {
		start = 10 + int64(head[6]&0x7f)<<21 | int64(head[7]&0x7f)<<14 | int64(head[8]&0x7f)<<7 | int64(head[9]&0x7f)
		if head[5]&0x10 != 0 {
			start += 10 // footer
		}
	}
	if _, err := r.Seek(start, io.SeekStart); err != nil {
		return Sheet{}, err
	}
	if _, err := io.ReadFull(r, head[:4]); err != nil || string(head[:4]) != "fLaC" {
		return Sheet{}, fmt.Errorf("read FLAC cue sheet: no fLaC marker")
	}
	rate := 0
	for range maxFLACBlocks {
		var bh [4]byte
		if _, err := io.ReadFull(r, bh[:]); err != nil {
			return Sheet{}, fmt.Errorf("read FLAC cue sheet: %w", err)
		}
		last, typ := bh[0]&0x80 != 0, bh[0]&0x7f
		n := int64(bh[1])<<16 | int64(bh[2])<<8 | int64(bh[3])
		switch {
		case typ == 0 && n >= 18 && n <= 1024:
			si := make([]byte, n)
			if _, err := io.ReadFull(r, si); err != nil {
				return Sheet{}, fmt.Errorf("read FLAC cue sheet: %w", err)
			}
			rate = int(si[10])<<12 | int(si[11])<<4 | int(si[12])>>4
		case typ == 5 && rate > 0 && n <= textfile.MaxSize:
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return Sheet{}, fmt.Errorf("read FLAC cue sheet: %w", err)
			}
			return parseFLACCueSheet(b, rate)
		default:
			if _, err := r.Seek(n, io.SeekCurrent); err != nil {
				return Sheet{}, err
			}
		}
		if last {
			break
		}
	}
	return Sheet{}, ErrNoFLACCueSheet
}

// parseFLACCueSheet decodes a CUESHEET block's body: catalog number (128
// bytes), lead-in samples (8), flags and reserved (259), number of tracks
// (1), then each track: offset (8), number (1), ISRC (12), flags and
// reserved (14), number of index points (1) and the points, each offset
// (8), number (1), reserved (3).
func parseFLACCueSheet(b []byte, rate int) (Sheet, error) {
	const head, trackHead, point = 396, 36, 12
	if len(b) < head {
		return Sheet{}, ErrNoFLACCueSheet
	}
	count := int(b[head-1])
	b = b[head:]
	var tracks []Track
	for i := 0; i < count; i++ {
		if len(b) < trackHead {
			return Sheet{}, fmt.Errorf("read FLAC cue sheet: %w", io.ErrUnexpectedEOF)
		}
		offset := binary.BigEndian.Uint64(b)
		number := int(b[8])
		points := int(b[35])
		b = b[trackHead:]
		if len(b) < points*point {
			return Sheet{}, fmt.Errorf("read FLAC cue sheet: %w", io.ErrUnexpectedEOF)
		}
		var idx uint64
		for p := range points {
			pt := b[p*point:]
			if p == 0 || pt[8] == 1 {
				idx = binary.BigEndian.Uint64(pt)
			}
		}
		b = b[points*point:]
		if number == 170 || number == 255 || points == 0 {
			continue // the lead-out, which has no index points
		}
		at := float64(offset+idx) / float64(rate)
		if len(tracks) < MaxTracks && at >= 0 && offset < 1<<48 && idx < 1<<48 {
			tracks = append(tracks, Track{Number: number, Start: at})
		}
	}
	if len(tracks) == 0 {
		return Sheet{}, ErrNoFLACCueSheet
	}
	return Sheet{Files: []File{{Tracks: tracks}}}, nil
}
