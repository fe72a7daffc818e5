package player

import (
	"crypto/sha256"
	"earshot/player/probe"
	"encoding/base64"
	"strconv"
	"time"
)

// Track is one audio or video file in the library with its tags and stream
// facts. Its JSON form is the API's Track object. Numbers a file does not
// carry are 0. Videos are tracks too (so that [Library.Track],
// [Library.Open] and [Library.Cover] serve them), but not music: they are
// listed only by [Library.Videos].
type Track struct {
	// ID is short, URL-safe and stable across restarts: see [TrackID].
	ID          string `json:"id"`
	Title       string `json:"title"`
	Artist      string `json:"artist"`
	Album       string `json:"album"`
	AlbumArtist string `json:"albumArtist"`
	TrackNumber int    `json:"trackNumber"`
	TrackTotal  int    `json:"trackTotal"`
	DiscNumber  int    `json:"discNumber"`
	DiscTotal   int    `json:"discTotal"`
	Year        int    `json:"year"`
	Genre       string `json:"genre"`
	// Duration is the playing time in seconds (0 when it could not be read).
	Duration float64      `json:"duration"`
	Format   probe.Format `json:"format"`
	MIMEType string       `json:"mimeType"`
	// Size is the file's length in bytes at scan time.
	Size int64 `json:"size"`
	// Path is the file's slash-separated path relative to the library root.
	Path string `json:"path"`
	// HasCover reports whether [Library.Cover] finds art for the track.
	HasCover bool `json:"hasCover"`
	// Video reports whether the file is a video (a [Format.Video] format
	// with a picture track); its cover is then a poster frame. It is
	// omitted from the JSON for audio.
	Video bool `json:"video,omitempty"`
	// NeedsFFmpeg reports that the file is of a format only ffmpeg reads
	// (see [probe.Format.NeedsFFprobe]) and ffmpeg was not installed when
	// it was scanned: its tags and length are unknown, and a scan with
	// ffmpeg reads it again. It is omitted from the JSON when false.
	NeedsFFmpeg bool `json:"needsFFmpeg,omitempty"`
	// CoverEmbedded and CoverFile say where [Library.Cover] finds the
	// track's art, so that it need not search again; neither is in the
	// JSON. CoverEmbedded is set when the file's tags hold a picture (for a
	// video: when its poster frame can be taken). CoverFile is the slash
	// path, relative to the library root, of its folder's cover image, ""
	// when there is none. They are public, like Size and ModTime, because an
	// [Index] keeps them: a launch restores covers without opening a file.
	// (CoverEmbedded sits beside the other booleans: a Track is 8 bytes
	// smaller so.)
	CoverEmbedded bool `json:"-"`
	// Width and Height are a video's picture size in pixels as its
	// container states it; 0 (and omitted from the JSON) when unknown and
	// for audio.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// ModTime is the file's modification time at scan time.
	ModTime time.Time `json:"-"`
	// CoverFile: see CoverEmbedded.
	CoverFile string `json:"-"`
	// HasLyrics reports whether [Library.Lyrics] finds lyrics for the
	// track: an .lrc file beside it with the same base name, or lyrics in
	// its tags (LyricsEmbedded).
	HasLyrics bool `json:"hasLyrics"`
	// Start and End are, for one track of a cue sheet (see [CueTrackID]),
	// where it starts and ends in its file, in seconds from the file's
	// start: its INDEX 01, and the next track's (the file's duration for
	// the last); Duration is End − Start. The file is streamed whole (the
	// Range stream of any track) and a player seeks to Start and stops at
	// End: unlike a transcode of the window, that needs no ffmpeg and no
	// CPU per play, seeks within the track cost a Range request, and a
	// lossless file's cut is exact. Both are 0 and omitted from
	// the JSON for a track that is a file of its own, so "end" in the
	// JSON marks a cue track ("start" is omitted for the first one, at 0).
	Start float64 `json:"start,omitempty"`
	End   float64 `json:"end,omitempty"`
	// LyricsEmbedded reports whether the file's tags hold lyrics (USLT,
	// SYLT, Vorbis LYRICS…); kept by an [Index] so that a launch knows
	// HasLyrics without opening the file. It is not in the JSON.
	LyricsEmbedded bool `json:"-"`
}

// CueTrackID is the ID of track number n of the cue sheet that splits the
// file at the slash path relPath: [TrackID] of relPath + "#" + n, so that
// it is stable across restarts and rescans like any track's.
func CueTrackID(relPath string, n int) string {
	return TrackID(relPath + "#" + strconv.Itoa(n))
}

// TrackID derives a track's ID from its slash-separated path relative to the
// library root: the first 72 bits of the path's SHA-256, base64url-encoded
// without padding (12 characters). The same path always gives the same ID.
func TrackID(relPath string) string {
	sum := sha256.Sum256([]byte(relPath))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}
