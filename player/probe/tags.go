package probe

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dhowden/tag"
)

// Tags are the metadata Earshot reads from a file. Numbers the file does not
// carry are 0; strings are "".
type Tags struct {
	Title, Artist, Album, AlbumArtist, Genre string
	Track, TrackTotal, Disc, DiscTotal, Year int
	// Picture is the embedded cover art, nil when there is none.
	Picture *Picture
	// Lyrics is the text of embedded unsynchronised lyrics: an ID3v2 USLT
	// frame, a Vorbis LYRICS or UNSYNCEDLYRICS comment, an MP4 ©lyr atom
	// ("" when none). It may itself be LRC with time tags.
	Lyrics string
	// SyncedLyrics is the body of an ID3v2 SYLT frame (synchronised
	// lyrics, read by the lyrics package) as bytes in a string, so that
	// Tags stay comparable; "" when none.
	SyncedLyrics string
	// CueSheet is the text of an embedded cue sheet (a CUESHEET Vorbis
	// comment, as FLAC rippers write), "" when none.
	CueSheet string
}

// HasLyrics reports whether t holds embedded lyrics of either kind.
func (t Tags) HasLyrics() bool {
	return strings.TrimSpace(t.Lyrics) != "" || len(t.SyncedLyrics) > 0
}

// Picture is an image embedded in a file's tags: its bytes and media type
// (for example "image/jpeg").
type Picture struct {
	Data     []byte
	MIMEType string
}

// TagReader reads tags from an open audio file. Implementations return
// [ErrNoTags] when a readable file simply carries none.
type TagReader interface {
	ReadTags(r io.ReadSeeker) (Tags, error)
}

// ErrNoTags is returned by a [TagReader] for a file without tags. Such a file
// is still a track: its title falls back to the file name.
var ErrNoTags = errors.New("no tags")

// DefaultTagReader reads ID3v1/ID3v2.2–2.4, MP4 atoms, FLAC and Ogg
// Vorbis/Opus comments with github.com/dhowden/tag, and the RIFF INFO list
// of WAV files itself.
type DefaultTagReader struct{}

// ReadTags implements [TagReader]. It returns [ErrNoTags] for files
// dhowden/tag finds no tags in, and a wrapped error for unreadable ones.
func (DefaultTagReader) ReadTags(r io.ReadSeeker) (t Tags, err error) {
	defer func() {
		// dhowden/tag trusts length fields in places; a crafted file must not crash a scan.
		if p := recover(); p != nil {
			err = fmt.Errorf("read tags: %w: %v", ErrCorrupt, p)
		}
	}()
	var magic [12]byte
	if _, err := io.ReadFull(r, magic[:]); err == nil && string(magic[:4]) == "RIFF" && string(magic[8:]) == "WAVE" {
		r.Seek(0, io.SeekStart)
		return readWAVInfo(r)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Tags{}, fmt.Errorf("read tags: %w", err)
	}
	m, err := tag.ReadFrom(r)
	if errors.Is(err, tag.ErrNoTagsFound) {
		return Tags{}, ErrNoTags
	}
	if err != nil {
		return Tags{}, fmt.Errorf("read tags: %w", err)
	}
	t = Tags{
		Title:       clean(m.Title()),
		Artist:      clean(m.Artist()),
		Album:       clean(m.Album()),
		AlbumArtist: clean(m.AlbumArtist()),
		Genre:       clean(m.Genre()),
		Year:        m.Year(),
	}
	t.Track, t.TrackTotal = m.Track()
	t.Disc, t.DiscTotal = m.Disc()
	if p := m.Picture(); p != nil && len(p.Data) > 0 {
		t.Picture = &Picture{Data: p.Data, MIMEType: pictureType(p)}
	}
	if t.Year == 0 {
		t.Year = yearFromRaw(m.Raw())
	}
	t.Lyrics, t.SyncedLyrics, t.CueSheet = lyricsFromRaw(m.Raw())
	return t, nil
}

// lyricsFromRaw finds embedded lyrics and a cue sheet among the raw tags
// of dhowden/tag: ID3v2 USLT/ULT frames (parsed to [tag.Comm]) and
// SYLT/SLT frames (left as bytes), Vorbis comments (keys lower-cased) and
// the MP4 ©lyr atom (keyed by its raw name, "\xa9lyr").
func lyricsFromRaw(raw map[string]any) (lyrics, synced, cue string) {
	for _, k := range []string{"USLT", "ULT", "lyrics", "unsyncedlyrics", "unsynced lyrics", "\xa9lyr"} {
		switch v := raw[k].(type) {
		case *tag.Comm:
			if strings.TrimSpace(v.Text) != "" && lyrics == "" {
				lyrics = v.Text
			}
		case string:
			if strings.TrimSpace(v) != "" && lyrics == "" {
				lyrics = v
			}
		}
	}
	for _, k := range []string{"SYLT", "SLT"} {
		if b, ok := raw[k].([]byte); ok && len(b) > 0 {
			synced = string(b)
			break
		}
	}
	if s, ok := raw["cuesheet"].(string); ok {
		cue = s
	}
	return lyrics, synced, cue
}

// ErrCorrupt marks a file whose structure is broken.
var ErrCorrupt = errors.New("corrupt file")

// clean trims spaces and the NUL padding some taggers leave behind.
func clean(s string) string {
	return strings.TrimSpace(strings.TrimRight(s, "\x00"))
}

// pictureType returns the media type of p, falling back to its extension
// and then to sniffing the first bytes.
func pictureType(p *tag.Picture) string {
	if strings.HasPrefix(p.MIMEType, "image/") {
		return p.MIMEType
	}
	switch strings.ToLower(p.Ext) {
	case "jpg", "jpeg":
		return "image/jpeg"
	case "png":
		return "image/png"
	}
	return SniffImage(p.Data)
}

// SniffImage names the image type of data by its magic number.
func SniffImage(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "image/jpeg"
	case len(data) >= 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n":
		return "image/png"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	case len(data) >= 6 && string(data[:3]) == "GIF":
		return "image/gif"
	}
	return "application/octet-stream"
}

// yearFromRaw finds a year in date fields dhowden/tag does not parse, such as
// Vorbis "DATE=2000-05-01" or ID3v2.4 "TDRC".
func yearFromRaw(raw map[string]any) int {
	for _, k := range []string{"date", "DATE", "year", "YEAR", "TDRC", "TYER", "TYE", "©day"} {
		s, ok := raw[k].(string)
		if !ok || len(s) < 4 {
			continue
		}
		if y, err := strconv.Atoi(s[:4]); err == nil && y > 0 {
			return y
		}
	}
	return 0
}
