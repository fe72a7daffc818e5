package cue

import (
	"errors"
	"math"
	"testing"
)

const liveSheet = `REM GENRE Rock
REM DATE 1999-05-01
PERFORMER "The Band"
TITLE "Live at the Hall"
FILE "C:\Rips\live.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Intro"
    PERFORMER "The Band"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Song, with a ""quote"
    INDEX 00 02:59:70
    INDEX 01 03:00:37
  TRACK 03 AUDIO
    TITLE Encore
    PERFORMER "Guest"
    INDEX 00 10:00:00
  TRACK 04 AUDIO
    TITLE "No index"
`

func TestParse(t *testing.T) {
	s, err := Parse([]byte(liveSheet))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Live at the Hall" || s.Performer != "The Band" || s.Genre != "Rock" || s.Year != 1999 {
		t.Errorf("sheet = %q %q %q %d", s.Title, s.Performer, s.Genre, s.Year)
	}
	if len(s.Files) != 1 || s.Files[0].Name != `C:\Rips\live.wav` {
		t.Fatalf("files = %+v", s.Files)
	}
	want := []Track{
		{1, "Intro", "The Band", 0},
		{2, "Song, with a ", "", 180 + 37.0/75},
		{3, "Encore", "Guest", 600},
	}
	got := s.Files[0].Tracks
	if len(got) != len(want) {
		t.Fatalf("tracks = %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Number != w.Number || g.Title != w.Title || g.Performer != w.Performer || math.Abs(g.Start-w.Start) > 1e-9 {
			t.Errorf("track %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestParseEncodings(t *testing.T) {
	tests := map[string][]byte{
		"utf-8":     []byte("FILE \"a.flac\" WAVE\nTRACK 1 AUDIO\nTITLE \"Glósóli\"\nINDEX 01 00:00:00\n"),
		"utf-8 BOM": []byte("\xEF\xBB\xBFFILE \"a.flac\" WAVE\r\nTRACK 1 AUDIO\r\nTITLE \"Glósóli\"\r\nINDEX 01 00:00:00\r\n"),
		"latin-1":   []byte("FILE \"a.flac\" WAVE\r\nTRACK 1 AUDIO\r\nTITLE \"Gl\xF3s\xF3li\"\r\nINDEX 01 00:00:00\r\n"),
	}
	for name, data := range tests {
		s, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := s.Files[0].Tracks[0].Title; got != "Glósóli" {
			t.Errorf("%s: title %q, want Glósóli", name, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := map[string]string{
		"empty":           "",
		"no index":        "FILE \"a.wav\" WAVE\nTRACK 01 AUDIO\nTITLE x\n",
		"track sans file": "TRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		"bad time":        "FILE a.wav WAVE\nTRACK 01 AUDIO\nINDEX 01 00:60:00\n",
	}
	for name, in := range tests {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrNoTracks) {
			t.Errorf("%s: Parse = %v, want ErrNoTracks", name, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"00:00:00", 0, true},
		{"01:02:03", 62 + 3.0/75, true},
		{"120:00:74", 7200 + 74.0/75, true},
		{"00:60:00", 0, false},
		{"00:00:75", 0, false},
		{"1:2", 0, false},
		{"-1:00:00", 0, false},
		{"aa:00:00", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseTime(tc.in)
		if (err == nil) != tc.ok || (tc.ok && math.Abs(got-tc.want) > 1e-9) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestTracksOf(t *testing.T) {
	s, err := Parse([]byte("FILE \"disc1.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE \"sub\\Disc2.wav\" WAVE\nTRACK 02 AUDIO\nINDEX 01 00:00:00\nTRACK 03 AUDIO\nINDEX 01 01:00:00\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		base    string
		lenient bool
		want    int
	}{
		{"disc1.wav", false, 1},
		{"DISC2.WAV", false, 2},
		{"disc2.flac", false, 0},
		{"disc2.flac", true, 2}, // same stem
		{"other.flac", true, 0}, // two files: no guess
	}
	for _, tc := range tests {
		if got := len(s.TracksOf(tc.base, tc.lenient)); got != tc.want {
			t.Errorf("TracksOf(%q, %v) = %d tracks, want %d", tc.base, tc.lenient, got, tc.want)
		}
	}
	one, _ := Parse([]byte("FILE \"rip.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n"))
	if len(one.TracksOf("album.flac", true)) != 1 || one.TracksOf("album.flac", false) != nil {
		t.Errorf("a single-FILE sheet: lenient takes its tracks, strict none")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(liveSheet))
	f.Add([]byte("FILE \"a.flac\" WAVE\nTRACK 1 AUDIO\nINDEX 01 99:59:74\n"))
	f.Add([]byte("\xEF\xBB\xBFFILE a\r\nTRACK 01\r\nINDEX 00 00:00:00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		n := 0
		for _, file := range s.Files {
			for _, tr := range file.Tracks {
				n++
				if tr.Start < 0 || math.IsNaN(tr.Start) {
					t.Fatalf("track %+v starts before 0", tr)
				}
			}
			s.TracksOf(file.Name, true)
		}
		if n == 0 || n > MaxTracks {
			t.Fatalf("Parse gave %d tracks without an error", n)
		}
	})
}
