package probe

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxInfoBytes bounds the LIST INFO chunk readWAVInfo will load.
const maxInfoBytes = 1 << 20

// readWAVInfo reads the tags of a RIFF WAVE file from its LIST/INFO chunk
// (Microsoft "Multimedia Programming Interface and Data Specifications 1.0",
// RIFF INFO list: INAM title, IART artist, IPRD album, IGNR genre, ICRD
// date, ITRK or IPRT track), which dhowden/tag does not read. It returns
// [ErrNoTags] when the file has no INFO list, and an error for a file that
// is not RIFF WAVE.
func readWAVInfo(r io.ReadSeeker) (Tags, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Tags{}, fmt.Errorf("read wav tags: %w", err)
	}
	if string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WAVE" {
		return Tags{}, fmt.Errorf("read wav tags: %w: not RIFF WAVE", ErrCorrupt)
	}
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return Tags{}, ErrNoTags // end of file without an INFO list
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		next := size + size&1 // chunks are padded to an even length
		if string(ch[:4]) == "LIST" && size >= 4 && size <= maxInfoBytes {
			body := make([]byte, size)
			if _, err := io.ReadFull(r, body); err != nil {
				return Tags{}, fmt.Errorf("read wav tags: %w", err)
			}
			if string(body[:4]) == "INFO" {
				return parseINFO(body[4:]), nil
			}
			next -= size
		}
		if _, err := r.Seek(next, io.SeekCurrent); err != nil {
			return Tags{}, fmt.Errorf("read wav tags: %w", err)
		}
	}
}

// parseINFO decodes the sub-chunks of a LIST/INFO body.
func parseINFO(b []byte) Tags {
	var t Tags
	for len(b) >= 8 {
		id := string(b[:4])
		size := int(binary.LittleEndian.Uint32(b[4:8]))
		b = b[8:]
		if size > len(b) {
			break
		}
		v := clean(string(b[:size]))
		b = b[min(len(b), size+size&1):]
		switch id {
		case "INAM":
			t.Title = v
		case "IART":
			t.Artist = v
		case "IPRD":
			t.Album = v
		case "IGNR":
			t.Genre = v
		case "ICRD":
			if len(v) >= 4 {
				t.Year, _ = strconv.Atoi(v[:4])
			}
		case "ITRK", "IPRT":
			n, total, _ := strings.Cut(v, "/")
			t.Track, _ = strconv.Atoi(strings.TrimSpace(n))
			t.TrackTotal, _ = strconv.Atoi(strings.TrimSpace(total))
		}
	}
	return t
}
