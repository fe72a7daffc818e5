package web

import (
	"math"
	"strconv"
	"unicode/utf8"

	"earshot/player"
)

// appendTrackJSON appends t's JSON form to b and returns the extended
// buffer: the bytes [json.Marshal] gives for a [player.Track] (same
// fields, order, omitempty rules, string escaping and number format),
// written without reflection or allocation. GET /api/tracks writes every
// track of the library with it: at 100,000 tracks encoding/json took
// about half of the answer's time. A Duration that is NaN or infinite,
// which encoding/json refuses, is written as 0 (the index keeps no such
// value either). TestTrackJSON holds it to encoding/json's output.
func appendTrackJSON(b []byte, t *player.Track) []byte {
	b = appendField(b, `{"id":`, t.ID)
	b = appendField(b, `,"title":`, t.Title)
	b = appendField(b, `,"artist":`, t.Artist)
	b = appendField(b, `,"album":`, t.Album)
	b = appendField(b, `,"albumArtist":`, t.AlbumArtist)
	b = strconv.AppendInt(append(b, `,"trackNumber":`...), int64(t.TrackNumber), 10)
	b = strconv.AppendInt(append(b, `,"trackTotal":`...), int64(t.TrackTotal), 10)
	b = strconv.AppendInt(append(b, `,"discNumber":`...), int64(t.DiscNumber), 10)
	b = strconv.AppendInt(append(b, `,"discTotal":`...), int64(t.DiscTotal), 10)
	b = strconv.AppendInt(append(b, `,"year":`...), int64(t.Year), 10)
	b = appendField(b, `,"genre":`, t.Genre)
	b = appendJSONFloat(append(b, `,"duration":`...), t.Duration)
	b = appendField(b, `,"format":`, string(t.Format))
	b = appendField(b, `,"mimeType":`, t.MIMEType)
	b = strconv.AppendInt(append(b, `,"size":`...), t.Size, 10)
	b = appendField(b, `,"path":`, t.Path)
	b = strconv.AppendBool(append(b, `,"hasCover":`...), t.HasCover)
	if t.Video {
		b = append(b, `,"video":true`...)
	}
	if t.NeedsFFmpeg {
		b = append(b, `,"needsFFmpeg":true`...)
	}
	if t.Width != 0 {
		b = strconv.AppendInt(append(b, `,"width":`...), int64(t.Width), 10)
	}
	if t.Height != 0 {
		b = strconv.AppendInt(append(b, `,"height":`...), int64(t.Height), 10)
	}
	b = strconv.AppendBool(append(b, `,"hasLyrics":`...), t.HasLyrics)
	if t.Start != 0 && !math.IsNaN(t.Start) {
		b = appendJSONFloat(append(b, `,"start":`...), t.Start)
	}
	if t.End != 0 && !math.IsNaN(t.End) {
		b = appendJSONFloat(append(b, `,"end":`...), t.End)
	}
	return append(b, '}')
}

// appendField appends key, then s as a JSON string.
func appendField(b []byte, key, s string) []byte {
	return appendJSONString(append(b, key...), s)
}

// appendJSONFloat appends f as encoding/json writes a float64: the
// shortest decimal that reads back as f, in exponent form ("1e-7",
// "1e+21") below 1e-6 and from 1e21 on. Non-finite values give 0.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// "1e-07" → "1e-7", as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// hexDigits are the digits of \u escapes, lower-case as encoding/json's.
const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping on (its default): '"', '\\' and control characters
// escaped (\b, \f, \n, \r, \t short, the rest as \u00XX), '<', '>' and
// '&' as \u003c, \u003e and \u0026, U+2028 and U+2029 as \u2028 and
// \u2029 (JavaScript line terminators), and each byte of invalid UTF-8 as
// U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
