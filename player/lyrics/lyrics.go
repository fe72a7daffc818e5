// Package lyrics reads song lyrics: .lrc files (synced, "[mm:ss.xx]" time
// tags, several per line, and the "[offset:±ms]" tag), plain text (ID3
// USLT frames, Vorbis LYRICS and UNSYNCEDLYRICS comments, an .lrc without
// time tags) and ID3v2 SYLT frames (synchronised lyrics, ID3v2.4 §4.9).
package lyrics

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"earshot/player/textfile"
)

// MaxLines is the most lines a song's lyrics keep; more is not a song.
const MaxLines = 10000

// ErrNoLyrics is returned for text or frames that hold no lyrics.
var ErrNoLyrics = errors.New("no lyrics")

// Line is one line of synced lyrics: the time in seconds from the start
// of the track at which it is sung, and its text ("" for an instrumental
// gap).
type Line struct {
	Time float64 `json:"time"`
	Text string  `json:"text"`
}

// Lyrics are a track's lyrics, as the API sends them: synced, with Lines
// in time order, or plain, with Text. The JSON is
// {"synced":true,"lines":[{"time":12.5,"text":"…"}]} or
// {"synced":false,"text":"…"}.
type Lyrics struct {
	Synced bool   `json:"synced"`
	Lines  []Line `json:"lines,omitempty"`
	Text   string `json:"text,omitempty"`
}

// timeTag reads one leading LRC time tag of s — [mm:ss], [mm:ss.x…] or
// [mm:ss:xx] (some writers put a colon before the hundredths), with up to
// four minute digits and three fraction digits — returning its time in
// seconds and its length in bytes; ok is false when s starts otherwise.
// With open and close '<' and '>' it reads an enhanced-LRC word tag.
func timeTag(s string, open, close byte) (t float64, n int, ok bool) {
	if len(s) < 2 || s[0] != open {
		return 0, 0, false
	}
	i := 1
	digits := func(lo, hi int) (int, bool) {
		v, j := 0, i
		for j < len(s) && j-i < hi && s[j] >= '0' && s[j] <= '9' {
			v = v*10 + int(s[j]-'0')
			j++
		}
		if j-i < lo {
			return 0, false
		}
		i = j
		return v, true
	}
	m, ok := digits(1, 4)
	if !ok || i >= len(s) || s[i] != ':' {
		return 0, 0, false
	}
	i++
	sec, ok := digits(1, 2)
	if !ok || i >= len(s) {
		return 0, 0, false
	}
	t = float64(m*60 + sec)
	if s[i] == '.' || s[i] == ':' {
		i++
		start := i
		frac, ok := digits(1, 3)
		if !ok {
			return 0, 0, false
		}
		t += float64(frac) / pow10(i-start)
	}
	if i >= len(s) || s[i] != close {
		return 0, 0, false
	}
	return t, i + 1, true
}

// stripWordTags removes enhanced-LRC word time tags (<mm:ss.xx>) from s.
func stripWordTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if _, n, ok := timeTag(s[i:], '<', '>'); ok {
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// ParseLRC reads an .lrc file in any encoding [textfile.Decode] knows.
// Lines with time tags become synced lines, one per tag (a chorus written
// once with three tags is sung three times), sorted by time; ID tags
// ([ar:…], [ti:…]) are dropped, and [offset:+n] (milliseconds) makes every
// line n ms earlier (a negative n later), no line earlier than 0. A file
// with no time tag is plain text. It returns [ErrNoLyrics] when nothing
// is left.
func ParseLRC(data []byte) (Lyrics, error) {
	if len(data) > textfile.MaxSize {
		data = data[:textfile.MaxSize]
	}
	var (
		lines  []Line
		plain  []string
		offset float64
	)
	for _, raw := range textfile.Lines(textfile.Decode(data)) {
		s := strings.TrimSpace(raw)
		var times []float64
		for {
			t, n, ok := timeTag(s, '[', ']')
			if !ok {
				break
			}
			times = append(times, t)
			s = strings.TrimLeft(s[n:], " \t")
		}
		if len(times) == 0 {
			if key, val, ok := idTag(s); ok {
				if key == "offset" {
					if ms, err := strconv.Atoi(strings.TrimPrefix(val, "+")); err == nil {
						offset = float64(ms) / 1000
					}
				}
				continue
			}
			plain = append(plain, raw)
			continue
		}
		text := strings.TrimSpace(stripWordTags(s))
		for _, t := range times {
			if len(lines) < MaxLines {
				lines = append(lines, Line{Time: t, Text: text})
			}
		}
	}
	if len(lines) == 0 {
		return Plain(strings.Join(plain, "\n"))
	}
	for i := range lines {
		lines[i].Time = max(0, round3(lines[i].Time-offset))
	}
	slices.SortStableFunc(lines, func(a, b Line) int {
		switch {
		case a.Time < b.Time:
			return -1
		case a.Time > b.Time:
			return 1
		}
		return 0
	})
	return Lyrics{Synced: true, Lines: lines}, nil
}

// pow10 is 10^n for small n.
func pow10(n int) float64 {
	p := 1.0
	for range n {
		p *= 10
	}
	return p
}

// round3 rounds t to milliseconds, so that offsets leave no binary noise.
func round3(t float64) float64 {
	return float64(int64(t*1000+0.5)) / 1000
}

// idTag reads an LRC ID tag such as "[ar:Artist]" or "[offset:+250]",
// returning its lower-cased key and its value.
func idTag(s string) (key, val string, ok bool) {
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return "", "", false
	}
	key, val, ok = strings.Cut(s[1:len(s)-1], ":")
	if !ok || key == "" || strings.ContainsAny(key, " []") {
		return "", "", false
	}
	return strings.ToLower(key), strings.TrimSpace(val), true
}

// Plain returns text as plain lyrics, with its lines' trailing spaces and
// the blank lines at its start and end trimmed. Text that is itself LRC
// (as Vorbis LYRICS comments often are) is read as such: see [Parse].
// It returns [ErrNoLyrics] for blank text.
func Plain(text string) (Lyrics, error) {
	lines := textfile.Lines(text)
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " \t")
	}
	text = strings.Trim(strings.Join(lines, "\n"), "\n")
	if strings.TrimSpace(text) == "" {
		return Lyrics{}, ErrNoLyrics
	}
	return Lyrics{Text: text}, nil
}

// Parse reads lyrics text from a tag (USLT, LYRICS, UNSYNCEDLYRICS): as
// synced LRC when it has time tags (see [ParseLRC]), else as [Plain] text.
func Parse(text string) (Lyrics, error) {
	return ParseLRC([]byte(text))
}

// ParseSYLT reads the body of an ID3v2 SYLT frame: text encoding (0
// Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8), language (3 bytes),
// time stamp format (1 MPEG frames, 2 milliseconds), content type, a
// content descriptor, then each syllable or line as a terminated string
// and a 32-bit big-endian time. Only millisecond times are read (MPEG
// frame times need the file's frame rate): frames with those give
// [ErrNoLyrics]. Lines are sorted by time; a syllable text beginning
// with "\n" starts a new line, others are joined to the line before.
func ParseSYLT(frame []byte) (Lyrics, error) {
	if len(frame) < 6 || frame[4] != 2 {
		return Lyrics{}, ErrNoLyrics
	}
	enc := frame[0]
	rest := frame[6:]
	_, rest, ok := cutString(rest, enc) // content descriptor
	if !ok {
		return Lyrics{}, ErrNoLyrics
	}
	var lines []Line
	for len(rest) > 0 && len(lines) < MaxLines {
		var text string
		text, rest, ok = cutString(rest, enc)
		if !ok || len(rest) < 4 {
			break
		}
		t := float64(binary.BigEndian.Uint32(rest)) / 1000
		rest = rest[4:]
		if strings.HasPrefix(text, "\n") || strings.HasPrefix(text, "\r") || len(lines) == 0 {
			lines = append(lines, Line{Time: t, Text: strings.TrimSpace(text)})
		} else {
			lines[len(lines)-1].Text += text
		}
	}
	if len(lines) == 0 {
		return Lyrics{}, ErrNoLyrics
	}
	slices.SortStableFunc(lines, func(a, b Line) int {
		switch {
		case a.Time < b.Time:
			return -1
		case a.Time > b.Time:
			return 1
		}
		return 0
	})
	return Lyrics{Synced: true, Lines: lines}, nil
}

// cutString cuts one terminated string of ID3 encoding enc from the front
// of b, returning it decoded and what follows its terminator.
func cutString(b []byte, enc byte) (string, []byte, bool) {
	if enc == 1 || enc == 2 {
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				return utf16String(b[:i], enc == 2), b[i+2:], true
			}
		}
		return "", nil, false
	}
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", nil, false
	}
	if enc == 3 {
		return strings.ToValidUTF8(string(b[:i]), "\uFFFD"), b[i+1:], true
	}
	return latin1(b[:i]), b[i+1:], true
}

// latin1 decodes b as Latin-1 (an ID3 encoding 0 string is Latin-1
// whatever its bytes).
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// utf16String decodes b as UTF-16: after a byte order mark when it has
// one, else big-endian when be, else little-endian.
func utf16String(b []byte, be bool) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		be, b = true, b[2:]
	} else if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		be, b = false, b[2:]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if be {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}
