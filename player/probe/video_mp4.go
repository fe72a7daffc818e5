package probe

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// videoInfo is what a video container states about its file: whether it
// holds a picture track, its length in seconds (0 when not stated) and the
// picture's size in pixels (0 when not stated).
type videoInfo struct {
	video         bool
	dur           float64
	width, height int
	// audioOnly is set for a WebM file whose Tracks hold no video track:
	// a song, not a video.
	audioOnly bool
}

// readMP4Size reads the width and height of a track header (tkhd, ISO/IEC
// 14496-12 section 8.3.2), its last two fields: 16.16 fixed-point numbers
// at offsets 76 and 80 of the content in version 0, 88 and 92 in version 1
// (whose times and duration are 8 bytes, not 4). A box too short to hold
// them gives 0 and 0.
func readMP4Size(w *window, tkhd mp4Box) (width, height int, err error) {
	b, err := w.bytes(tkhd.body, 1)
	if err != nil {
		return 0, 0, err
	}
	at := int64(76)
	if b[0] == 1 {
		at = 88
	}
	if tkhd.body+at+8 > tkhd.end {
		return 0, 0, nil
	}
	b, err = w.bytes(tkhd.body+at, 8)
	if err != nil {
		return 0, 0, err
	}
	return int(binary.BigEndian.Uint32(b[0:4]) >> 16), int(binary.BigEndian.Uint32(b[4:8]) >> 16), nil
}

// mp4Video reads an MPEG-4 or QuickTime file's boxes (ISO/IEC 14496-12;
// QuickTime shares the moov/trak/mdia layout) for its first picture track
// (handler "vide"), without touching the media data. A file without one
// gives a videoInfo whose video is false and no error: it is audio. The
// length is, in order of preference, the movie header's (mvhd, the
// longest track's presentation), the picture track's tkhd in the movie
// timescale, its mdhd in its own timescale, the mehd fragment duration,
// and for a fragmented file the sum of the track's sample durations in the
// movie fragments ([mp4FragmentsDuration]); 0 when none states it. The
// size is the picture track's tkhd presentation size.
func mp4Video(w *window) (videoInfo, error) {
	var track mp4Track
	mv, err := readMP4Movie(w, func(b mp4Box) error {
		t, err := readMP4Track(w, b)
		if err == nil && t.handler == "vide" && track.handler == "" {
			track = t
		}
		return err
	})
	if err != nil {
		return videoInfo{}, err
	}
	if track.handler == "" {
		return videoInfo{}, nil
	}
	info := videoInfo{video: true, width: track.width, height: track.height}
	for _, t := range []mp4Time{mv.mvhd, {mv.mvhd.scale, track.tkhd}, track.mdhd, {mv.mvhd.scale, mv.mehd}} {
		if s, ok := t.seconds(); ok {
			info.dur = s
			return info, nil
		}
	}
	if mv.mvex.typ != "" && track.mdhd.scale > 0 {
		dur, err := mp4FragmentsDuration(w, mv.mvex, track.id)
		if err != nil {
			return videoInfo{}, err
		}
		if s, ok := (mp4Time{track.mdhd.scale, dur}).seconds(); ok {
			info.dur = s
		}
	}
	return info, nil
}

// readVideoInfo returns what the container of the video file in r, which
// holds size bytes in format f, states: see [mp4Video] (MP4, MOV) and
// [webmVideo] (WebM). It reads headers only, a bounded window at a time.
// Errors wrap [ErrBadMedia] for a malformed or truncated container and
// [ErrUnsupported] for a format that is not [Format.Video].
func readVideoInfo(r io.ReadSeeker, size int64, f Format) (videoInfo, error) {
	if size <= 0 {
		return videoInfo{}, fmt.Errorf("%w: empty file", ErrBadMedia)
	}
	w, ok := r.(*window)
	if !ok {
		w = newWindow(r, size)
		defer w.release()
	}
	var (
		v   videoInfo
		err error
	)
	switch f {
	case MP4, MOV:
		v, err = mp4Video(w)
	case WebM:
		v, err = webmVideo(w)
	default:
		return videoInfo{}, fmt.Errorf("video info of %q: %w", f, ErrUnsupported)
	}
	if err != nil {
		return videoInfo{}, fmt.Errorf("%s video: %w", f, err)
	}
	if math.IsNaN(v.dur) || math.IsInf(v.dur, 0) || v.dur < 0 {
		return videoInfo{}, fmt.Errorf("%s video: %w: impossible length %v", f, ErrBadMedia, v.dur)
	}
	if v.width < 0 || v.height < 0 || v.width > 1<<16 || v.height > 1<<16 {
		v.width, v.height = 0, 0
	}
	return v, nil
}
