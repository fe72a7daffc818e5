package cue

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// flacCueTrack is one track of a hand-made CUESHEET block: its offset and
// number, and its index points (number, offset), all in samples.
type flacCueTrack struct {
	offset uint64
	number byte
	points [][2]uint64
}

// FLACWithCueSheet returns the metadata of a native FLAC file (no audio)
// at rate Hz whose CUESHEET block holds tracks, after a PADDING block.
func flacWithCueSheet(rate int, tracks ...flacCueTrack) []byte {
	var b bytes.Buffer
	b.WriteString("fLaC")
	si := make([]byte, 34)
	si[10], si[11], si[12] = byte(rate>>12), byte(rate>>4), byte(rate<<4)|0x02
	b.Write([]byte{0, 0, 0, 34})
	b.Write(si)
	b.Write([]byte{1, 0, 0, 8})
	b.Write(make([]byte, 8))
	var cs bytes.Buffer
	cs.Write(make([]byte, 128+8+259))
	cs.WriteByte(byte(len(tracks)))
	for _, t := range tracks {
		binary.Write(&cs, binary.BigEndian, t.offset)
		cs.WriteByte(t.number)
		cs.Write(make([]byte, 12+14))
		cs.WriteByte(byte(len(t.points)))
		for _, p := range t.points {
			binary.Write(&cs, binary.BigEndian, p[1])
			cs.WriteByte(byte(p[0]))
			cs.Write(make([]byte, 3))
		}
	}
	n := cs.Len()
	b.Write([]byte{0x80 | 5, byte(n >> 16), byte(n >> 8), byte(n)})
	b.Write(cs.Bytes())
	return b.Bytes()
}

// FLACCueSheetTracks are three tracks at 44.1 kHz: 0 s, 10 s (with a
// pregap index 00 at 9 s), 25.5 s, and the lead-out.
var flacCueSheetTracks = []flacCueTrack{
	{0, 1, [][2]uint64{{1, 0}}},
	{9 * 44100, 2, [][2]uint64{{0, 0}, {1, 44100}}},
	{25*44100 + 22050, 3, [][2]uint64{{1, 0}}},
	{60 * 44100, 170, nil},
}

func TestReadFLAC(t *testing.T) {
	data := flacWithCueSheet(44100, flacCueSheetTracks...)
	for name, file := range map[string][]byte{
		"plain":     data,
		"after ID3": append([]byte{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5}, data...),
	} {
		s, err := ReadFLAC(bytes.NewReader(file))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := s.TracksOf("anything.flac", true)
		want := []Track{{Number: 1, Start: 0}, {Number: 2, Start: 10}, {Number: 3, Start: 25.5}}
		if len(got) != len(want) {
			t.Fatalf("%s: tracks %+v, want %+v", name, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: track %d = %+v, want %+v", name, i, got[i], want[i])
			}
		}
	}
	noSheet := flacWithCueSheet(44100)
	if _, err := ReadFLAC(bytes.NewReader(noSheet)); !errors.Is(err, ErrNoFLACCueSheet) {
		t.Errorf("empty CUESHEET: %v, want ErrNoFLACCueSheet", err)
	}
	if _, err := ReadFLAC(bytes.NewReader([]byte("RIFF....WAVE"))); err == nil {
		t.Error("a WAV file read as FLAC")
	}
	if _, err := ReadFLAC(bytes.NewReader(data[:len(data)-20])); err == nil {
		t.Error("a cut CUESHEET block read")
	}
}

func FuzzReadFLAC(f *testing.F) {
	f.Add(flacWithCueSheet(44100, flacCueSheetTracks...))
	f.Add(flacWithCueSheet(48000, flacCueSheetTracks[:2]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadFLAC(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, tr := range s.TracksOf("x.flac", true) {
			if tr.Start < 0 {
				t.Fatalf("track %+v before 0", tr)
			}
		}
	})
}
