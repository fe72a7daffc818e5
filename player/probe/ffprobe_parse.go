package probe

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ffprobeOutput is the part of ffprobe's JSON (-print_format json
// -show_entries [probeEntries]) that [ParseFFprobe] reads.
type ffprobeOutput struct {
	Streams []ffprobeStream `json:"streams"`
	Format  struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
}

// ffprobeStream is one stream of [ffprobeOutput].
type ffprobeStream struct {
	CodecType   string            `json:"codec_type"`
	CodecName   string            `json:"codec_name"`
	Width       int               `json:"width"`
	Height      int               `json:"height"`
	Duration    string            `json:"duration"`
	Tags        map[string]string `json:"tags"`
	Disposition struct {
		AttachedPic int `json:"attached_pic"`
	} `json:"disposition"`
}

// ParseFFprobe turns ffprobe's JSON report on a file of format f (judged by
// its name) into [Media]: Format f; Video with the picture size when a
// picture stream other than an attached picture is there (an audio-only
// WebM or Matroska file is audio); HasPicture when an attached picture
// (cover art) is, or in an audio format any still-image stream; Duration from the container, else the longest stream, in
// seconds; Tags from the container's tags and then the first audio
// stream's, keys compared case-insensitively (title, artist, album,
// album_artist, genre, track "n/total", disc "n/total", tracktotal,
// disctotal, date or year). It returns an error wrapping [ErrBadMedia]
// for a file with no audio and no video stream and [ErrCorrupt] for JSON
// it cannot read.
func ParseFFprobe(data []byte, f Format) (Media, error) {
	var out ffprobeOutput
	if err := json.Unmarshal(data, &out); err != nil {
		return Media{}, fmt.Errorf("%w: ffprobe output: %v", ErrCorrupt, err)
	}
	m := Media{Format: f, Duration: seconds(out.Format.Duration)}
	var audio *ffprobeStream
	for i := range out.Streams {
		s := &out.Streams[i]
		switch {
		case s.CodecType == "video" && (s.Disposition.AttachedPic != 0 || !f.Video() && imageCodec(s.CodecName)):
			m.HasPicture = true
		case s.CodecType == "video" && !m.Video:
			m.Video = true
			if s.Width > 0 && s.Height > 0 && s.Width <= 1<<16 && s.Height <= 1<<16 {
				m.Width, m.Height = s.Width, s.Height
			}
		case s.CodecType == "audio" && audio == nil:
			audio = s
		}
	}
	if m.Duration == 0 { // the container states none: the longest stream's
		for _, s := range out.Streams {
			if s.CodecType == "audio" || s.CodecType == "video" && s.Disposition.AttachedPic == 0 {
				m.Duration = max(m.Duration, seconds(s.Duration))
			}
		}
	}
	if audio == nil && !m.Video {
		return Media{}, fmt.Errorf("%w: no audio stream", ErrBadMedia)
	}
	if !m.Video && f.Video() {
		m.Format = audioFormat(f)
	}
	tags := lowerKeys(out.Format.Tags)
	if audio != nil {
		for k, v := range lowerKeys(audio.Tags) {
			if _, ok := tags[k]; !ok {
				tags[k] = v
			}
		}
	}
	m.Tags = tagsFromMap(tags)
	return m, nil
}

// imageCodec reports whether a stream's codec is a still-image one: in an
// audio file (WMA, Matroska audio) such a stream is cover art even when it
// is not marked as an attached picture.
func imageCodec(name string) bool {
	switch name {
	case "mjpeg", "png", "bmp", "gif", "webp", "tiff":
		return true
	}
	return false
}

// audioFormat is the audio format of a video container without a picture
// track: Matroska audio for MKV, and f itself otherwise (an AVI of sound
// alone stays an AVI).
func audioFormat(f Format) Format {
	if f == MKV {
		return MKA
	}
	return f
}

// seconds parses a length in seconds as ffprobe writes it ("5.000000"),
// giving 0 for "N/A", garbage and impossible values.
func seconds(s string) float64 {
	d, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(d) || math.IsInf(d, 0) || d < 0 || d > 1e9 {
		return 0
	}
	return d
}

// lowerKeys returns tags with lower-case keys; where keys differ only in
// case, the least in byte order wins, so the result does not depend on
// map order.
func lowerKeys(tags map[string]string) map[string]string {
	out := make(map[string]string, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		lk := strings.ToLower(k)
		if _, ok := out[lk]; !ok {
			out[lk] = tags[k]
		}
	}
	return out
}

// tagsFromMap reads [Tags] from tags with lower-case keys, as ffprobe
// names them across formats (ID3, APEv2, ASF, Vorbis comments, Matroska).
func tagsFromMap(tags map[string]string) Tags {
	get := func(keys ...string) string {
		for _, k := range keys {
			if v := clean(tags[k]); v != "" {
				return v
			}
		}
		return ""
	}
	t := Tags{
		Title:       get("title"),
		Artist:      get("artist", "author"),
		Album:       get("album"),
		AlbumArtist: get("album_artist", "albumartist", "album artist"),
		Genre:       get("genre"),
	}
	t.Track, t.TrackTotal = numberPair(get("track", "tracknumber"), get("tracktotal", "totaltracks", "track_total"))
	t.Disc, t.DiscTotal = numberPair(get("disc", "discnumber"), get("disctotal", "totaldiscs", "disc_total"))
	if y := get("date", "year", "originaldate"); len(y) >= 4 {
		if n, err := strconv.Atoi(y[:4]); err == nil && n > 0 {
			t.Year = n
		}
	}
	return t
}

// numberPair reads "n/total" (or "n" with the total given apart) as
// numbers, 0 for what is missing or not a number.
func numberPair(v, total string) (n, of int) {
	num, tot, _ := strings.Cut(v, "/")
	if tot == "" {
		tot = total
	}
	return atoiPositive(num), atoiPositive(tot)
}

// atoiPositive parses a positive decimal number, 0 for anything else.
func atoiPositive(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
