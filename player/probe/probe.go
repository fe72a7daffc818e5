// Package probe reads what Earshot needs to know of a media file from an
// [io.ReadSeeker]: its [Format] (by file name), its [Tags] and embedded
// [Picture], its playing time, and for videos the picture size. It reads
// headers and bounded windows only, never decoding audio or video, and
// turns malformed input into errors (wrapping [ErrCorrupt], [ErrBadMedia]
// or [ErrUnsupported]) rather than panics. It knows nothing of libraries,
// folders or HTTP.
//
// The package holds no mutable state besides a [sync.Pool] of read
// buffers; its lookup tables (extensions, MPEG bit rates and sample rates,
// the Ogg CRC table) are filled once and never written.
package probe

import (
	"errors"
	"fmt"
	"io"
)

// ErrUnsupported is returned for a file whose format Earshot cannot read.
var ErrUnsupported = errors.New("unsupported format")

// Media is what [Probe] learns of one file.
type Media struct {
	// Format is the file's format: the one Probe was given, except that an
	// MP4 or MOV file without a picture track is [M4A] audio.
	Format Format
	// Tags are the file's tags; zero when it has none (and for WebM,
	// whose Matroska tags are not read).
	Tags Tags
	// TagErr is why the tags could not be read, nil when they could or
	// when there were none. The rest of Media is good even then.
	TagErr error
	// Duration is the playing time in seconds.
	Duration float64
	// Video reports whether the file holds a picture track.
	Video bool
	// Width and Height are a video's picture size in pixels as its
	// container states it; 0 when unknown and for audio.
	Width, Height int
	// HasPicture reports whether a file read by ffprobe embeds a picture
	// (cover art), which [Tools.Picture] extracts; Tags.Picture stays
	// nil for such files.
	HasPicture bool
	// WantsFFprobe reports that ffprobe, when it is installed, would read
	// more of the file than Probe did: the tags of an audio-only WebM
	// file. Without it the file is still usable as it is.
	WantsFFprobe bool
}

// Probe reads the file r, which holds size bytes in format f (as
// [FormatOf] judged its name), with tags reading the tags. r must be at
// its start, as a file just opened is. One buffered window of the file
// serves the tag reader and the duration reader, so that the head of the
// file is read once. It returns an error wrapping [ErrBadMedia] or
// [ErrCorrupt] for a file that cannot be indexed (the tags' error alone
// only goes to [Media.TagErr]), [ErrUnsupported] for a format it does not
// know or that [Format.NeedsFFprobe], and r's own errors.
func Probe(r io.ReadSeeker, size int64, f Format, tags TagReader) (Media, error) {
	if size <= 0 {
		return Media{}, fmt.Errorf("%w: empty file", ErrCorrupt)
	}
	if f.NeedsFFprobe() {
		return Media{}, fmt.Errorf("%w: %s files are read with ffprobe", ErrUnsupported, f)
	}
	w := newWindow(r, size)
	w.rpos = 0 // r is at its start: no seek needed
	defer w.release()
	if f.Video() {
		v, err := readVideoInfo(w, size, f)
		if err != nil {
			return Media{}, err
		}
		if v.video && f == WebM && v.audioOnly {
			// A song: its Matroska tags, and a length where the header
			// states none, are ffprobe's to read (see WantsFFprobe).
			return Media{Format: WebM, Duration: v.dur, WantsFFprobe: true}, nil
		}
		if v.video {
			m := Media{Format: f, Duration: v.dur, Video: true, Width: v.width, Height: v.height}
			if f != WebM { // dhowden/tag reads MP4 atoms, not Matroska tags
				m.Tags, m.TagErr, err = readTags(w, tags)
			}
			return m, err
		}
		f = M4A // an MPEG-4 file without a picture track is audio
	}
	m := Media{Format: f}
	var err error
	if m.Tags, m.TagErr, err = readTags(w, tags); err != nil {
		return Media{}, err
	}
	if _, err := w.Seek(0, io.SeekStart); err != nil {
		return Media{}, err
	}
	if m.Duration, err = readDuration(w, size, f); err != nil {
		return Media{}, err
	}
	return m, nil
}

// readTags reads the tags of w from its start with tags: tagErr is why
// they could not be read (nil for a file without tags), err a failure to
// seek w.
func readTags(w *window, tags TagReader) (t Tags, tagErr, err error) {
	if _, err := w.Seek(0, io.SeekStart); err != nil {
		return Tags{}, nil, err
	}
	t, tagErr = tags.ReadTags(w)
	if errors.Is(tagErr, ErrNoTags) {
		tagErr = nil
	}
	return t, tagErr, nil
}
