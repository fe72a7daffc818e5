package transcode

import (
	"slices"
	"strings"

	"earshot/player/probe"
)

// The codec names of [Caps]: what the page asks canPlayType about (the
// media type it asks with is in web/static/caps.js) and what [CodecOf]
// calls a source.
const (
	MP3        = "mp3"         // audio/mpeg
	FLAC       = "flac"        // audio/flac
	Vorbis     = "vorbis"      // audio/ogg; codecs="vorbis"
	Opus       = "opus"        // audio/ogg; codecs="opus"
	AAC        = "aac"         // audio/mp4; codecs="mp4a.40.2"
	ALAC       = "alac"        // audio/mp4; codecs="alac"
	WAV16      = "wav"         // audio/wav; codecs="1" (PCM)
	WebMOpus   = "webm-opus"   // audio/webm; codecs="opus"
	WebMVorbis = "webm-vorbis" // audio/webm; codecs="vorbis"
	ADTS       = "adts"        // audio/aac (raw AAC with ADTS headers)
	AIFF       = "aiff"        // audio/aiff
)

// codecNames returns the names [ParseCaps] keeps, in token order.
func codecNames() []string {
	return []string{AAC, ADTS, AIFF, ALAC, FLAC, MP3, Opus, Vorbis, WAV16, WebMOpus, WebMVorbis}
}

// Caps is the set of codecs a device decodes, as its page reported them.
// The zero Caps is "unknown": it plays everything, as the server did
// before devices reported anything (external players, an old page).
type Caps struct {
	known bool
	names []string // sorted, known names only
}

// ParseCaps reads a caps token: codec names joined by "." (or ","),
// "none" for a device that plays none of them. Unknown names are
// dropped; "" gives the zero (unknown) Caps.
func ParseCaps(token string) Caps {
	if token == "" {
		return Caps{}
	}
	c := Caps{known: true}
	for _, n := range strings.FieldsFunc(token, func(r rune) bool { return r == '.' || r == ',' }) {
		if slices.Contains(codecNames(), n) && !slices.Contains(c.names, n) {
			c.names = append(c.names, n)
		}
	}
	slices.Sort(c.names)
	return c
}

// String returns c's canonical token: its names sorted and joined by
// ".", "none" for an empty known set, "" for unknown caps.
func (c Caps) String() string {
	switch {
	case !c.known:
		return ""
	case len(c.names) == 0:
		return "none"
	}
	return strings.Join(c.names, ".")
}

// Known reports whether the device said what it decodes.
func (c Caps) Known() bool { return c.known }

// Plays reports whether a device with caps c decodes codec (a name of
// [CodecOf]): always for unknown caps.
func (c Caps) Plays(codec string) bool {
	return !c.known || slices.Contains(c.names, codec)
}

// CodecOf returns the codec name of a source of format f whose first
// audio stream ffprobe calls codec ("" when not probed): one of the
// [Caps] names when a browser may play it, else the format's own name
// ("wma", "ape", …) or "wav-"+codec for a WAV file that is not PCM.
func CodecOf(f probe.Format, codec string) string {
	switch f {
	case probe.MP3:
		return MP3
	case probe.FLAC:
		return FLAC
	case probe.Ogg:
		if codec == "opus" || codec == "flac" {
			return codec
		}
		return Vorbis
	case probe.Opus:
		return Opus
	case probe.M4A:
		if codec == "" || codec == "aac" || codec == "alac" {
			return cmpOr(codec, AAC)
		}
		return "mp4-" + codec
	case probe.WAV:
		if codec == "" || strings.HasPrefix(codec, "pcm_") {
			return WAV16
		}
		return "wav-" + codec
	case probe.WebM:
		if codec == "vorbis" {
			return WebMVorbis
		}
		return WebMOpus
	case probe.AAC:
		return ADTS
	case probe.AIFF:
		return AIFF
	}
	return string(f)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// candidates returns the codec names a source of format f may have when
// its codec is not known, for [NeedsProbe].
func candidates(f probe.Format) []string {
	switch f {
	case probe.M4A:
		return []string{AAC, ALAC}
	case probe.Ogg:
		return []string{Vorbis, Opus}
	case probe.WebM:
		return []string{WebMOpus, WebMVorbis}
	}
	return nil
}

// NeedsProbe reports whether deciding for a source of format f on a
// device with caps c needs its codec: an MPEG-4 file may be AAC or ALAC,
// an Ogg file Vorbis or Opus, and c plays one but not the other.
func NeedsProbe(f probe.Format, c Caps) bool {
	cands := candidates(f)
	n := 0
	for _, name := range cands {
		if c.Plays(name) {
			n++
		}
	}
	return n != 0 && n != len(cands)
}

// Quality is a device's streaming quality, chosen on its page.
type Quality string

const (
	// Original sends the file's own bytes whenever the device plays
	// them, and a lossless WAV transcode when it does not: the default
	// on the LAN.
	Original Quality = "original"
	// Saver ("data saver") sends every lossless source, any above
	// [SaverAbove], and any the device cannot play, as 128 kbit/s MP3
	// ([Transcoder.MP3]); smaller lossy files still go as they are.
	Saver Quality = "saver"
)

// ParseQuality reads a quality setting: "saver" is [Saver], anything else
// [Original].
func ParseQuality(s string) Quality {
	if Quality(s) == Saver {
		return Saver
	}
	return Original
}

// SaverAbove is the bit rate, in bit/s, above which data saver transcodes
// a source the device could play as it is: above what 128 kbit/s MP3
// saves enough to be worth it (a 192 kbit/s MP3 with a big cover stays
// under it; lossless files are 400–1400 kbit/s).
const SaverAbove = 256000

// The transcode targets of [Decision.To].
const (
	ToWAV = "WAV"
	ToMP3 = "MP3"
)

// Decision says how a track reaches a device.
type Decision struct {
	// Transcode is set when the device gets a transcode rather than the
	// file's own bytes.
	Transcode bool `json:"transcoded"`
	// From names the source's codec for people ("ALAC", "Ogg Vorbis");
	// To the transcode's format ([ToWAV], [ToMP3]), "" for direct play.
	From string `json:"from"`
	To   string `json:"to,omitempty"`
	// Reason says why, in a few words: "direct play", "transcoded ALAC →
	// WAV", "data saver: FLAC → MP3 128 kbit/s", "needs ffmpeg to play
	// WMA here".
	Reason string `json:"reason"`
}

// Lossless reports whether codec (a [CodecOf] name) is a lossless one.
func Lossless(codec string) bool {
	switch codec {
	case FLAC, ALAC, WAV16, AIFF, "wv", "ape", "tta", "dsf", "dff":
		return true
	}
	return false
}

// Decide returns how a source of codec (a [CodecOf] name) at bitRate
// (bit/s; 0 unknown) reaches a device with caps c at quality q:
//   - its own bytes when c plays it, unless q is [Saver] and the codec is
//     [Lossless] or bitRate is above [SaverAbove];
//   - else, when canTranscode (ffmpeg is there), a transcode: MP3 for
//     [Saver] (or WAV if c is known to lack MP3), WAV for [Original];
//   - else its own bytes all the same, which the page then reports it
//     cannot play (or plays, for data saver).
func Decide(codec string, bitRate int64, c Caps, q Quality, canTranscode bool) Decision {
	from := DisplayName(codec)
	plays := c.Plays(codec)
	saver := q == Saver && c.Plays(MP3) && canTranscode
	switch {
	case plays && !(saver && (Lossless(codec) || bitRate > SaverAbove)):
		return Decision{From: from, Reason: "direct play"}
	case saver:
		return Decision{Transcode: true, From: from, To: ToMP3, Reason: "data saver: " + from + " → MP3 128 kbit/s"}
	case canTranscode:
		return Decision{Transcode: true, From: from, To: ToWAV, Reason: "transcoded " + from + " → WAV"}
	}
	return Decision{From: from, Reason: "needs ffmpeg to play " + from + " here"}
}

// DisplayName returns the name people know a codec (a [CodecOf] name) by.
func DisplayName(codec string) string {
	switch codec {
	case Vorbis:
		return "Ogg Vorbis"
	case Opus:
		return "Opus"
	case WebMOpus:
		return "WebM Opus"
	case WebMVorbis:
		return "WebM Vorbis"
	case ADTS:
		return "AAC"
	case "wv":
		return "WavPack"
	case "mpc":
		return "Musepack"
	case "ac3":
		return "AC-3"
	case "eac3":
		return "E-AC-3"
	case "mka":
		return "Matroska"
	case "dsf", "dff":
		return "DSD"
	}
	return strings.ToUpper(codec)
}
