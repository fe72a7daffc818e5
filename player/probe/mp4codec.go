package probe

import (
	"fmt"
	"io"
	"strings"
)

// MP4AudioCodec returns the codec of the first sound track of the MPEG-4
// file r (size bytes long) by the name ffprobe gives it: "aac" for an
// "mp4a" sample entry (MPEG-4 audio, in practice AAC), "alac", "flac",
// "opus", "ac3", "eac3"; else the entry's four-character code in lower
// case without spaces. It reads the sample description (ISO/IEC 14496-12
// section 8.5.2: moov → trak → mdia → minf → stbl → stsd, the type of its
// first entry), boxes only, as [Probe] does for the length, so that an
// M4A file's AAC and ALAC are told apart without ffprobe. A file with no
// sound track, or a malformed one, gives an error wrapping [ErrBadMedia];
// r's own errors are returned as they are.
func MP4AudioCodec(r io.ReadSeeker, size int64) (string, error) {
	w := newWindow(r, size)
	defer w.release()
	var entry string
	_, err := readMP4Movie(w, func(b mp4Box) error {
		if entry != "" {
			return nil
		}
		t, err := readMP4Track(w, b)
		if err == nil && t.sound() {
			entry = t.entry
		}
		return err
	})
	if err != nil {
		return "", err
	}
	switch strings.TrimSpace(entry) {
	case "":
		return "", fmt.Errorf("%w: no sound track with a sample description in MPEG-4 file", ErrBadMedia)
	case "mp4a":
		return "aac", nil
	case "ac-3":
		return "ac3", nil
	case "ec-3":
		return "eac3", nil
	}
	return strings.ToLower(strings.TrimSpace(entry)), nil
}

// readMP4SampleEntry returns the type of the first sample entry of the
// stsd box in a minf box (minf → stbl → stsd: version and flags,
// entry_count, then the entries, each a box), "" when there is none.
func readMP4SampleEntry(w *window, minf mp4Box) (string, error) {
	var entry string
	err := mp4Children(w, minf.body, minf.end, func(b mp4Box) (bool, error) {
		if b.typ != "stbl" {
			return true, nil
		}
		return false, mp4Children(w, b.body, b.end, func(b mp4Box) (bool, error) {
			if b.typ != "stsd" {
				return true, nil
			}
			if b.end-b.body < 16 { // no entry
				return false, nil
			}
			e, err := readMP4Box(w, b.body+8, b.end)
			entry = e.typ
			return false, err
		})
	})
	return entry, err
}
