package probe

import (
	"path"
	"strings"
)

// Format is an audio or video container format Earshot can index and
// stream. Its value is the short name used in the JSON API ("mp3", "flac",
// "webm", …).
type Format string

// The formats Earshot reads. Ogg holds Vorbis (or, rarely, Opus in a .ogg
// file); Opus is Ogg Opus in a .opus file; M4A is MPEG-4 audio, AAC or ALAC.
const (
	MP3  Format = "mp3"
	FLAC Format = "flac"
	Ogg  Format = "ogg"
	Opus Format = "opus"
	M4A  Format = "m4a"
	WAV  Format = "wav"
)

// The video formats Earshot reads (see [Format.Video]): MP4 is an MPEG-4
// file (.mp4, .m4v) holding a picture track, MOV a QuickTime movie (.mov,
// the same box structure), WebM a Matroska subset (.webm, RFC 9559). An
// .mp4 file without a picture track is audio, [M4A].
const (
	MP4  Format = "mp4"
	MOV  Format = "mov"
	WebM Format = "webm"
)

// formatByExt maps a lower-case file extension to its format.
var formatByExt = map[string]Format{
	".mp3":  MP3,
	".flac": FLAC,
	".ogg":  Ogg,
	".oga":  Ogg,
	".opus": Opus,
	".m4a":  M4A,
	".m4b":  M4A,
	".mp4":  MP4, // or M4A: see Probe
	".m4v":  MP4,
	".mov":  MOV,
	".webm": WebM,
	".wav":  WAV,
}

// FormatOf returns the format of the file called name, judged by its
// extension (case-insensitive), and whether it is one Earshot reads. An
// .mp4 file is [MP4] here; a scan that finds no picture track in it indexes
// it as [M4A] audio.
func FormatOf(name string) (Format, bool) {
	f, ok := formatByExt[strings.ToLower(path.Ext(name))]
	return f, ok
}

// MIMEType returns the media type to send for f, as registered with IANA
// (RFC 3003 audio/mpeg, RFC 9639 audio/flac, RFC 5334 audio/ogg, RFC 4337
// audio/mp4 and video/mp4, video/quicktime) or in common use (audio/wav,
// video/webm). It never consults the OS table, which differs between
// systems.
func (f Format) MIMEType() string {
	switch f {
	case MP3:
		return "audio/mpeg"
	case FLAC:
		return "audio/flac"
	case Ogg, Opus:
		return "audio/ogg"
	case M4A:
		return "audio/mp4"
	case WAV:
		return "audio/wav"
	case MP4:
		return "video/mp4"
	case MOV:
		return "video/quicktime"
	case WebM:
		return "video/webm"
	}
	return "application/octet-stream"
}

// Video reports whether f is a video format: [MP4], [MOV] or [WebM].
func (f Format) Video() bool {
	return f == MP4 || f == MOV || f == WebM
}
