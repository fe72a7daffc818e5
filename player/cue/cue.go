// Package cue reads cue sheets: the text files (or the CUESHEET tag) that
// split one album-length audio file into its tracks. It implements the
// commands of the CDRWIN cue sheet format that describe tracks — FILE,
// TRACK, INDEX, TITLE, PERFORMER and the REM GENRE / REM DATE comments
// rippers write — and ignores the rest (FLAGS, ISRC, PREGAP, CATALOG…).
package cue

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"earshot/player/textfile"
)

// FramesPerSecond is the number of frames in a second of a cue time
// (mm:ss:ff), as on an audio CD.
const FramesPerSecond = 75

// MaxTracks is the most tracks a sheet may hold (a CD holds 99).
const MaxTracks = 999

// ErrNoTracks is returned by [Parse] for a sheet without a single track
// that has a start time (an INDEX 01, or else INDEX 00).
var ErrNoTracks = errors.New("cue sheet has no tracks")

// ErrTooLarge is returned by [Parse] for a sheet over [textfile.MaxSize]
// bytes or with more than [MaxTracks] tracks.
var ErrTooLarge = errors.New("cue sheet too large")

// Sheet is a parsed cue sheet: the album's title and performer, and its
// files in order, each with its tracks.
type Sheet struct {
	Title, Performer string
	// Genre and Year come from "REM GENRE" and "REM DATE"; "" and 0 when
	// absent.
	Genre string
	Year  int
	Files []File
}

// File is one FILE of a sheet: the name it gives (as written, which may
// hold a Windows path) and its tracks in order.
type File struct {
	Name   string
	Tracks []Track
}

// Track is one TRACK of a sheet: its number, its title and performer
// ("" when the sheet gives none), and its start in seconds from the start
// of its file (INDEX 01, or INDEX 00 when there is no INDEX 01).
type Track struct {
	Number           int
	Title, Performer string
	Start            float64
}

// Parse reads a cue sheet in any encoding [textfile.Decode] knows. Unknown
// commands and malformed lines are skipped; tracks without a start time
// are dropped. It returns [ErrNoTracks] when no track is left, and
// [ErrTooLarge] for an oversized sheet.
func Parse(data []byte) (Sheet, error) {
	if len(data) > textfile.MaxSize {
		return Sheet{}, ErrTooLarge
	}
	p := parser{index0: -1, index1: -1}
	for _, line := range textfile.Lines(textfile.Decode(data)) {
		if words := fields(line); len(words) > 0 {
			if err := p.command(words); err != nil {
				return Sheet{}, err
			}
		}
	}
	p.finish()
	for _, f := range p.s.Files {
		if len(f.Tracks) > 0 {
			return p.s, nil
		}
	}
	return Sheet{}, ErrNoTracks
}

// parser is the state of [Parse].
type parser struct {
	s      Sheet
	tr     *Track  // the track being read, nil before the first
	index0 float64 // its INDEX 00, -1 when none
	index1 float64 // its INDEX 01, -1 when none
	tracks int     // the TRACK commands seen
}

// command reads one line's words.
func (p *parser) command(words []string) error {
	arg := func(i int) string {
		if i < len(words) {
			return words[i]
		}
		return ""
	}
	switch strings.ToUpper(words[0]) {
	case "FILE":
		p.finish()
		p.s.Files = append(p.s.Files, File{Name: arg(1)})
	case "TRACK":
		p.finish()
		n, err := strconv.Atoi(arg(1))
		if err != nil || n < 0 {
			return nil
		}
		if p.tracks++; p.tracks > MaxTracks {
			return ErrTooLarge
		}
		p.tr = &Track{Number: n}
	case "INDEX":
		n, err1 := strconv.Atoi(arg(1))
		t, err2 := ParseTime(arg(2))
		switch {
		case p.tr == nil || err1 != nil || err2 != nil:
		case n == 0:
			p.index0 = t
		case n == 1:
			p.index1 = t
		}
	case "TITLE":
		p.text(&p.s.Title, func(t *Track) *string { return &t.Title }, arg(1))
	case "PERFORMER":
		p.text(&p.s.Performer, func(t *Track) *string { return &t.Performer }, arg(1))
	case "REM":
		switch strings.ToUpper(arg(1)) {
		case "GENRE":
			p.s.Genre = arg(2)
		case "DATE":
			if y, err := strconv.Atoi(first4(arg(2))); err == nil && y > 0 {
				p.s.Year = y
			}
		}
	}
	return nil
}

// text sets a TITLE or PERFORMER: the track's field when inside a TRACK,
// else the sheet's.
func (p *parser) text(sheet *string, field func(*Track) *string, v string) {
	if p.tr != nil {
		*field(p.tr) = v
	} else {
		*sheet = v
	}
}

// finish adds the track being read to the last FILE, when it has a start.
func (p *parser) finish() {
	if p.tr == nil {
		return
	}
	start := p.index1
	if start < 0 {
		start = p.index0
	}
	if start >= 0 && len(p.s.Files) > 0 {
		p.tr.Start = start
		f := &p.s.Files[len(p.s.Files)-1]
		f.Tracks = append(f.Tracks, *p.tr)
	}
	p.tr, p.index0, p.index1 = nil, -1, -1
}

// first4 returns the first four bytes of s (a year of a date), or s.
func first4(s string) string {
	if len(s) > 4 {
		return s[:4]
	}
	return s
}

// ParseTime reads a cue time "mm:ss:ff" — minutes (any number of them),
// seconds (0–59) and frames (0–74, 75 a second) — as seconds.
func ParseTime(s string) (float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("cue time %q: not mm:ss:ff", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || len(p) > 6 {
			return 0, fmt.Errorf("cue time %q: not mm:ss:ff", s)
		}
		n[i] = v
	}
	if n[1] >= 60 || n[2] >= FramesPerSecond {
		return 0, fmt.Errorf("cue time %q: out of range", s)
	}
	return float64(n[0]*60+n[1]) + float64(n[2])/FramesPerSecond, nil
}

// fields splits a cue line into words, a double-quoted string being one
// word without its quotes (an unclosed one runs to the end of the line).
func fields(line string) []string {
	var out []string
	line = strings.TrimSpace(line)
	for line != "" {
		if line[0] == '"' {
			end := strings.IndexByte(line[1:], '"')
			if end < 0 {
				out = append(out, line[1:])
				break
			}
			out = append(out, line[1:1+end])
			line = strings.TrimLeft(line[2+end:], " \t")
			continue
		}
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			out = append(out, line)
			break
		}
		out = append(out, line[:end])
		line = strings.TrimLeft(line[end:], " \t")
	}
	return out
}

// Names reports whether the FILE name given in a sheet names the file
// called base (a file name, no folder): the same name ignoring case and
// any folder the sheet gives (with "/" or "\" separators).
func Names(given, base string) bool {
	given = strings.ReplaceAll(given, `\`, "/")
	return strings.EqualFold(path.Base(given), base)
}

// stem is a file name without its extension.
func stem(name string) string {
	return strings.TrimSuffix(name, path.Ext(name))
}

// TracksOf returns the tracks the sheet gives the audio file called base
// (a file name, no folder): those of the FILE entries that name it (see
// [Names]); else, when lenient and the sheet has a single FILE whose name
// differs only in extension from base (a sheet written for "album.wav"
// beside the "album.flac" it was encoded to) or has one FILE only, that
// file's tracks. Tracks come in sheet order; nil when none fit.
func (s Sheet) TracksOf(base string, lenient bool) []Track {
	var out []Track
	for _, f := range s.Files {
		if Names(f.Name, base) {
			out = append(out, f.Tracks...)
		}
	}
	if out != nil || !lenient {
		return out
	}
	var withTracks []File
	for _, f := range s.Files {
		if len(f.Tracks) > 0 {
			withTracks = append(withTracks, f)
		}
	}
	if len(withTracks) == 1 {
		return withTracks[0].Tracks
	}
	for _, f := range withTracks {
		if strings.EqualFold(stem(path.Base(strings.ReplaceAll(f.Name, `\`, "/"))), stem(base)) {
			return f.Tracks
		}
	}
	return nil
}
