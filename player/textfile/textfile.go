// Package textfile decodes the small text files that sit beside music —
// cue sheets, .lrc lyrics, .m3u and .pls playlists — whose encoding is
// never declared: UTF-8 with or without a byte order mark, UTF-16 with
// one, and otherwise Latin-1 (ISO 8859-1), which older Windows tools wrote.
package textfile

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxSize is the most bytes of a side file the readers of this project
// read (1 MiB): a cue sheet, lyrics or playlist is a few kilobytes, and a
// larger file is not one of them.
const MaxSize = 1 << 20

// Decode returns data as a string of valid UTF-8: without its byte order
// mark when it has one (UTF-8, UTF-16LE or UTF-16BE, the UTF-16 ones
// decoded), as it is when it is valid UTF-8, and else read as Latin-1,
// each byte its own code point (U+0000–U+00FF).
func Decode(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true)
	case utf8.Valid(data):
		return string(data)
	}
	r := make([]rune, len(data))
	for i, b := range data {
		r[i] = rune(b)
	}
	return string(r)
}

// decodeUTF16 decodes data as UTF-16, big-endian when be; an odd last
// byte is dropped.
func decodeUTF16(data []byte, be bool) string {
	u := make([]uint16, len(data)/2)
	for i := range u {
		if be {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// Lines splits s into lines at "\r\n", "\n" or a lone "\r" (old Mac
// files), without the line ends.
func Lines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}
