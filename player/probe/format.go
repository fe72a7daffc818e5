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

// The formats Earshot reads through ffprobe (see [Format.NeedsFFprobe]):
// dhowden/tag and this package's own readers know neither their tags nor
// their length. AIFF covers AIFF and AIFF-C; AC3 is a raw Dolby Digital
// stream and EAC3 Dolby Digital Plus; AAC is a raw AAC stream with ADTS
// headers (.aac), whose length only a count of its packets gives; MP2 is
// MPEG-1/2 Layer II; MKA is Matroska audio; DSF and DFF are DSD audio
// (Sony's DSD Stream File and Philips' DSDIFF). MKV (Matroska) and AVI
// are videos.
const (
	AIFF     Format = "aiff"
	WMA      Format = "wma"
	WavPack  Format = "wv"
	APE      Format = "ape"
	Musepack Format = "mpc"
	TTA      Format = "tta"
	AC3      Format = "ac3"
	EAC3     Format = "eac3"
	AAC      Format = "aac"
	MP2      Format = "mp2"
	MKA      Format = "mka"
	DSF      Format = "dsf"
	DFF      Format = "dff"
	MKV      Format = "mkv"
	AVI      Format = "avi"
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
	".aif":  AIFF,
	".aiff": AIFF,
	".aifc": AIFF,
	".wma":  WMA,
	".wv":   WavPack,
	".ape":  APE,
	".mpc":  Musepack,
	".mp+":  Musepack,
	".mpp":  Musepack,
	".tta":  TTA,
	".ac3":  AC3,
	".eac3": EAC3,
	".ec3":  EAC3,
	".aac":  AAC,
	".adts": AAC,
	".mp2":  MP2,
	".mpa":  MP2,
	".mka":  MKA,
	".dsf":  DSF,
	".dff":  DFF,
	".mkv":  MKV,
	".avi":  AVI,
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
// (RFC 3003 audio/mpeg, also for Layer II; RFC 9639 audio/flac; RFC 5334
// audio/ogg; RFC 4337 audio/mp4 and video/mp4; video/quicktime; RFC 4184
// audio/ac3; RFC 4598 audio/eac3; audio/aac) or in common use (audio/wav,
// video/webm, audio/aiff, audio/x-ms-wma, audio/x-matroska, …). It never
// consults the OS table, which differs between systems. An audio-only
// WebM file is audio/webm: see [Track.MIMEType] in package player, which
// a scan sets.
func (f Format) MIMEType() string {
	switch f {
	case MP3, MP2:
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
	case MKV:
		return "video/x-matroska"
	case AVI:
		return "video/x-msvideo"
	}
	if t := probedMIMEType(f); t != "" {
		return t
	}
	return "application/octet-stream"
}

// probedMIMEType is [Format.MIMEType] for the audio formats read through
// ffprobe, "" for the others.
func probedMIMEType(f Format) string {
	switch f {
	case AIFF:
		return "audio/aiff"
	case WMA:
		return "audio/x-ms-wma"
	case WavPack:
		return "audio/wavpack"
	case APE:
		return "audio/ape"
	case Musepack:
		return "audio/musepack"
	case TTA:
		return "audio/tta"
	case AC3:
		return "audio/ac3"
	case EAC3:
		return "audio/eac3"
	case AAC:
		return "audio/aac"
	case MKA:
		return "audio/x-matroska"
	case DSF:
		return "audio/dsf"
	case DFF:
		return "audio/dff"
	}
	return ""
}

// Video reports whether f is a video format: [MP4], [MOV], [WebM], [MKV]
// or [AVI]. An MPEG-4 or WebM file without a picture track is audio all
// the same (see [Probe]).
func (f Format) Video() bool {
	return f == MP4 || f == MOV || f == WebM || f == MKV || f == AVI
}

// NeedsFFprobe reports whether files of format f are read with ffprobe
// (see [FFprobe]): those whose tags, length or streams this package cannot
// read itself. A scan without ffprobe lists them as needing ffmpeg.
func (f Format) NeedsFFprobe() bool {
	return probedMIMEType(f) != "" || f == MP2 || f == MKV || f == AVI
}
