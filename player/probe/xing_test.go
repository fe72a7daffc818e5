package probe

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"earshot/player/playertest"
)

// xingHeaders are frame headers of the Layer III variants a Xing frame is
// built for: MPEG-1 stereo and mono, MPEG-2 and MPEG-2.5, with and without
// a CRC, and the flags to keep (private, copyright, original, emphasis).
var xingHeaders = map[string][4]byte{
	"mpeg1 stereo 44.1k 128k":    {0xff, 0xfb, 0x90, 0x00},
	"mpeg1 mono 48k 64k crc":     {0xff, 0xfa, 0x54, 0xc0},
	"mpeg1 joint 32k 320k flags": {0xff, 0xfb, 0xe9, 0x6d},
	"mpeg2 stereo 22.05k 64k":    {0xff, 0xf3, 0x80, 0x00},
	"mpeg2 mono 16k 8k":          {0xff, 0xf3, 0x18, 0xc0},
	"mpeg2.5 mono 8k 8k crc":     {0xff, 0xe2, 0x18, 0xc0},
}

// TestBuildXingFrame builds a Xing frame for each header and reads it
// back: the fields survive, the frame is exactly one valid frame of the
// same stream (same key, no CRC, no padding) that holds the header, and
// its kept flag bits are the original's.
func TestBuildXingFrame(t *testing.T) {
	var x Xing
	x.Frames, x.Bytes = 3447, 659123
	for i := range x.TOC {
		x.TOC[i] = byte(i * 255 / 99)
	}
	for name, hdr := range xingHeaders {
		frame, err := BuildXingFrame(hdr[:], x)
		if err != nil {
			t.Errorf("%s: BuildXingFrame: %v", name, err)
			continue
		}
		h, _ := parseMPEGHeader(hdr[:])
		fh, ok := parseMPEGHeader(frame)
		switch {
		case !ok || fh.length != len(frame):
			t.Errorf("%s: frame of %d bytes has header %+v, %v", name, len(frame), fh, ok)
		case fh.key != h.key || fh.crc || fh.mono != h.mono || frame[2]&2 != 0:
			t.Errorf("%s: frame header % x does not continue % x without CRC and padding", name, frame[:4], hdr)
		case frame[3] != hdr[3] || frame[2]&1 != hdr[2]&1:
			t.Errorf("%s: frame header % x lost the flags of % x", name, frame[:4], hdr)
		}
		got, flags, ok := ParseXingFrame(frame)
		if !ok || got != x || flags != xingFrames|xingBytes|xingTOC {
			t.Errorf("%s: ParseXingFrame = %+v, %#x, %v; want %+v, 0x7", name, got, flags, ok, x)
		}
		if n, found, err := mp3HeaderFrames(newWindow(bytes.NewReader(frame), int64(len(frame))), 0, fh); n != int64(x.Frames) || !found || err != nil {
			t.Errorf("%s: mp3HeaderFrames = %d, %v, %v; want %d", name, n, found, err, x.Frames)
		}
	}
	for _, bad := range [][]byte{nil, {0xff, 0xfb}, {0xff, 0xfd, 0x90, 0x00} /* layer II */, {0x12, 0x34, 0x56, 0x78}} {
		if _, err := BuildXingFrame(bad, x); err == nil {
			t.Errorf("BuildXingFrame(% x) succeeded", bad)
		}
	}
}

// TestParseXingFrame reads hand-made headers: each optional field, an Info
// tag, the position after a CRC, and fields cut short by the frame.
func TestParseXingFrame(t *testing.T) {
	hdr := [4]byte{0xff, 0xfb, 0x90, 0x00} // 417 bytes, side information 32
	crc := [4]byte{0xff, 0xfa, 0x90, 0x00}
	mk := func(h [4]byte, at int, body ...[]byte) []byte {
		f := durMP3Frames(h, 417, 1)
		copy(f[at:], durCat(body...))
		return f
	}
	toc := bytes.Repeat([]byte{7}, 100)
	var tocOnly Xing
	copy(tocOnly.TOC[:], toc)
	tests := []struct {
		name  string
		in    []byte
		want  Xing
		flags uint32
		ok    bool
	}{
		{"frames and bytes", mk(hdr, 36, []byte("Xing"), durBE32(3), durBE32(10), durBE32(20)), Xing{Frames: 10, Bytes: 20}, 3, true},
		{"toc only, Info", mk(hdr, 36, []byte("Info"), durBE32(4), toc), tocOnly, 4, true},
		{"bytes and quality", mk(hdr, 36, []byte("Xing"), durBE32(10), durBE32(99), durBE32(50)), Xing{Bytes: 99}, 10, true},
		{"after the CRC", mk(crc, 38, []byte("Xing"), durBE32(1), durBE32(5)), Xing{Frames: 5}, 1, true},
		{"no tag", mk(hdr, 36, []byte("Xinf"), durBE32(1), durBE32(5)), Xing{}, 0, false},
		{"toc past the slice", mk(hdr, 36, []byte("Xing"), durBE32(4), toc)[:120], Xing{}, 0, false},
		{"tag past the slice", mk(hdr, 36, []byte("Xing"), durBE32(1), durBE32(5))[:38], Xing{}, 0, false},
		{"not a frame", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), Xing{}, 0, false},
		{"short", []byte{0xff}, Xing{}, 0, false},
	}
	for _, tt := range tests {
		got, flags, ok := ParseXingFrame(tt.in)
		if got != tt.want || flags != tt.flags || ok != tt.ok {
			t.Errorf("%s: ParseXingFrame = %+v, %#x, %v; want %+v, %#x, %v", tt.name, got, flags, ok, tt.want, tt.flags, tt.ok)
		}
	}
}

// TestMP3SeekSpliceSynthetic splices a hand-made VBR stream (100 frames at
// 32 kbit/s, then 100 at 320 kbit/s, behind an ID3v2 tag, with an ID3v1
// tag at the end) and checks every field against the layout: the frame
// goes right after the ID3v2 tag, counts the 200 frames and the stream's
// bytes, and TOC entry i points at frame 2i, rounded to 1/256. CBR, a
// stream with a Xing or VBRI header and Layer II get no splice.
func TestMP3SeekSpliceSynthetic(t *testing.T) {
	lo, hi := [4]byte{0xff, 0xfb, 0x10, 0x00}, [4]byte{0xff, 0xfb, 0xe0, 0x00}
	loLen, hiLen := 104, 1044 // 144 × bit rate / 44100, rounded down
	id3 := durID3v2(300)
	stream := durCat(durMP3Frames(lo, loLen, 100), durMP3Frames(hi, hiLen, 100))
	file := durCat(id3, stream, durID3v1())
	sp, ok, err := MP3SeekSplice(bytes.NewReader(file), int64(len(file)))
	if err != nil || !ok {
		t.Fatalf("MP3SeekSplice = %v, %v; want a splice", ok, err)
	}
	if sp.Offset != int64(len(id3)) {
		t.Errorf("Offset = %d, want %d (after the ID3v2 tag)", sp.Offset, len(id3))
	}
	x, flags, ok := ParseXingFrame(sp.Frame)
	if !ok || flags != 7 {
		t.Fatalf("the frame does not parse: %v, %#x", ok, flags)
	}
	frameLen := len(sp.Frame)
	total := frameLen + len(stream)
	if x.Frames != 200 || x.Bytes != uint32(total) {
		t.Errorf("Frames, Bytes = %d, %d; want 200, %d", x.Frames, x.Bytes, total)
	}
	for i := range 100 {
		k := 2 * i
		rel := frameLen + min(k, 100)*loLen + max(k-100, 0)*hiLen
		want := byte(math.Round(float64(rel) * 256 / float64(total)))
		if x.TOC[i] != want {
			t.Errorf("TOC[%d] = %d, want %d (frame %d at %d of %d bytes)", i, x.TOC[i], want, k, rel, total)
		}
	}
	// The spliced file has the same length to a reader of durations.
	spliced := durCat(file[:sp.Offset], sp.Frame, file[sp.Offset:])
	d0, err0 := readDuration(bytes.NewReader(file), int64(len(file)), MP3)
	d1, err1 := readDuration(bytes.NewReader(spliced), int64(len(spliced)), MP3)
	if err0 != nil || err1 != nil || d0 != d1 || math.Abs(d0-200*1152/44100.0) > 1e-9 {
		t.Errorf("readDuration before, after = %v, %v; %v, %v; want %v twice", d0, err0, d1, err1, 200*1152/44100.0)
	}

	for name, in := range map[string][]byte{
		"cbr":      durCat(id3, durMP3Frames(hi, hiLen, 200)),
		"xing":     durCat(durXing(lo, loLen, "Xing", 200), stream),
		"vbri":     durCat(durVBRI(hi, hiLen, 200), stream),
		"layer II": durCat(durMP3Frames([4]byte{0xff, 0xfd, 0x10, 0x00}, 104, 50), durMP3Frames([4]byte{0xff, 0xfd, 0xe0, 0x00}, 1253, 50)),
	} {
		if _, ok, err := MP3SeekSplice(bytes.NewReader(in), int64(len(in))); ok || err != nil {
			t.Errorf("%s: MP3SeekSplice = %v, %v; want no splice and no error", name, ok, err)
		}
	}
	if _, _, err := MP3SeekSplice(bytes.NewReader([]byte("not audio at all")), 16); err == nil {
		t.Error("MP3SeekSplice of junk: no error")
	}
}

// TestMP3SeekSpliceFiles splices LAME's files: a VBR MP3 without a Xing
// header (MPEG-1 stereo and MPEG-2 mono) gets a splice, after which
// ffprobe's duration, which is only a bit-rate estimate without the
// header, is the decoded length, and ffmpeg decodes as many packets as
// before; files with a header, CBR and Layer II get none.
func TestMP3SeekSpliceFiles(t *testing.T) {
	names := []string{"vbr-noxing.mp3", "cbr-info.mp3", "vbr-xing.mp3", "cbr-noinfo.mp3", "cbr-id3v1.mp3", "mpeg2-vbr.mp3", "mpeg25-cbr.mp3", "layer2.mp3"}
	dir := durGenerate(t, durSeconds, names...)
	durFFmpeg(t, []string{"-i", filepath.Join(dir, "base.wav"), "-c:a", "libmp3lame", "-ar", "22050", "-ac", "1", "-q:a", "6", "-write_xing", "0", filepath.Join(dir, "mpeg2-vbr-noxing.mp3")})
	want := map[string]bool{"vbr-noxing.mp3": true, "mpeg2-vbr-noxing.mp3": true}
	for _, name := range append(names, "mpeg2-vbr-noxing.mp3") {
		file := filepath.Join(dir, name)
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sp, ok, err := MP3SeekSplice(bytes.NewReader(b), int64(len(b)))
		if err != nil || ok != want[name] {
			t.Errorf("%s: MP3SeekSplice = %v, %v; want %v", name, ok, err, want[name])
			continue
		}
		if !ok {
			continue
		}
		out := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(out, durCat(b[:sp.Offset], sp.Frame, b[sp.Offset:]), 0o644); err != nil {
			t.Fatal(err)
		}
		decoded := playertest.DecodedDuration(t, file)
		if d := playertest.Probe(t, out); math.Abs(d-decoded) > durTolerance {
			t.Errorf("%s spliced: ffprobe says %.3f s, want the decoded %.3f s (unspliced: %.3f s)", name, d, decoded, playertest.Probe(t, file))
		}
		if d := playertest.DecodedDuration(t, out); math.Abs(d-decoded) > 1e-6 {
			t.Errorf("%s spliced: ffmpeg decodes %.3f s, before %.3f s", name, d, decoded)
		}
		x, _, _ := ParseXingFrame(sp.Frame)
		h, _ := parseMPEGHeader(sp.Frame)
		if d := float64(x.Frames) * float64(h.samples) / float64(h.rate); math.Abs(d-decoded) > durTolerance {
			t.Errorf("%s: the Xing frame counts %.3f s, want %.3f s", name, d, decoded)
		}
		if binary.BigEndian.Uint32(sp.Frame)&0xfffe0c00 != binary.BigEndian.Uint32(b[sp.Offset:])&0xfffe0c00 {
			t.Errorf("%s: the Xing frame's header % x is not of the stream at %d (% x)", name, sp.Frame[:4], sp.Offset, b[sp.Offset:sp.Offset+4])
		}
	}
}

// FuzzParseXingFrame checks that no input makes ParseXingFrame panic, and
// that a header it reads with frames, bytes and TOC survives a rebuild:
// BuildXingFrame from the input's frame header, read back, gives the same
// fields. Seeded with built frames of every header variant, cut short too.
func FuzzParseXingFrame(f *testing.F) {
	var x Xing
	x.Frames, x.Bytes = 1000, 400000
	for i := range x.TOC {
		x.TOC[i] = byte(i * 2)
	}
	for _, hdr := range xingHeaders {
		frame, err := BuildXingFrame(hdr[:], x)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(frame)
		f.Add(frame[:len(frame)/2])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, flags, ok := ParseXingFrame(b)
		if !ok || flags&7 != 7 {
			return
		}
		frame, err := BuildXingFrame(b[:4], got)
		if err != nil {
			t.Fatalf("BuildXingFrame(% x) after ParseXingFrame read it: %v", b[:4], err)
		}
		again, flags, ok := ParseXingFrame(frame)
		if !ok || flags != 7 || again != got {
			t.Errorf("rebuilt frame reads %+v, %#x, %v; want %+v", again, flags, ok, got)
		}
	})
}

// FuzzMP3SeekSplice checks that no input makes MP3SeekSplice panic or
// return a splice that does not hold: the frame must parse with frames,
// bytes and TOC, the offset lie inside the file, the byte count cover the
// frame and no more than the rest of the file, and the TOC never go back.
// Seeded with the synthetic VBR stream and short LAME files, whole and cut.
func FuzzMP3SeekSplice(f *testing.F) {
	lo, hi := [4]byte{0xff, 0xfb, 0x10, 0x00}, [4]byte{0xff, 0xfb, 0xe0, 0x00}
	f.Add(durCat(durID3v2(30), durMP3Frames(lo, 104, 20), durMP3Frames(hi, 1044, 20), durID3v1()))
	names := []string{"vbr-noxing.mp3", "cbr-noinfo.mp3", "vbr-xing.mp3"}
	dir := durGenerate(f, 0.5, names...)
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sp, ok, err := MP3SeekSplice(bytes.NewReader(b), int64(len(b)))
		if err != nil || !ok {
			return
		}
		x, flags, parsed := ParseXingFrame(sp.Frame)
		switch {
		case !parsed || flags != 7 || x.Frames == 0:
			t.Fatalf("the splice's frame reads %+v, %#x, %v", x, flags, parsed)
		case sp.Offset < 0 || sp.Offset >= int64(len(b)):
			t.Errorf("Offset %d outside a file of %d bytes", sp.Offset, len(b))
		case int64(x.Bytes) <= int64(len(sp.Frame)) || int64(x.Bytes) > int64(len(b))-sp.Offset+int64(len(sp.Frame)):
			t.Errorf("Bytes %d for a frame of %d and %d bytes from the offset", x.Bytes, len(sp.Frame), int64(len(b))-sp.Offset)
		}
		for i := 1; i < len(x.TOC); i++ {
			if x.TOC[i] < x.TOC[i-1] {
				t.Fatalf("TOC goes back at %d: %v", i, x.TOC)
			}
		}
	})
}
