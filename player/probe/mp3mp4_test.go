package probe

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"earshot/player/playertest"
)

// mp4Of returns the MPEG-4 file m describes over the MP3 file b.
func mp4Of(m MP4Remux, b []byte) []byte { return durCat(m.Header, b[m.From:m.To]) }

// Synthetic VBR frames: MPEG-1 Layer III, 44.1 kHz, stereo, at 32 and 320
// kbit/s (144 × bit rate / 44100 bytes, rounded down).
var (
	synthLo, synthHi       = [4]byte{0xff, 0xfb, 0x10, 0x00}, [4]byte{0xff, 0xfb, 0xe0, 0x00}
	synthLoLen, synthHiLen = 104, 1044
)

// TestMP3AsMP4Synthetic remuxes a hand-made VBR stream behind an ID3v2 tag,
// with junk between two runs of frames and an ID3v1 tag at the end. The
// MPEG-4 file must span the frames only, state their length to our own
// MPEG-4 reader, and give ffprobe one packet per frame at that frame's
// bytes (so the chunk table skips the junk). CBR and Layer II get no
// remux; junk is an error. See [TestMP3AsMP4HeaderFrame] for streams with
// a Xing or VBRI header.
func TestMP3AsMP4Synthetic(t *testing.T) {
	id3 := durID3v2(300)
	run1 := durCat(durMP3Frames(synthLo, synthLoLen, 100), durMP3Frames(synthHi, synthHiLen, 50))
	junk := bytes.Repeat([]byte{0x11}, 77)
	run2 := durMP3Frames(synthHi, synthHiLen, 50)
	file := durCat(id3, run1, junk, run2, durID3v1())
	m, ok, err := MP3AsMP4(bytes.NewReader(file), int64(len(file)))
	if err != nil || !ok {
		t.Fatalf("MP3AsMP4 = %v, %v; want a remux", ok, err)
	}
	if m.From != int64(len(id3)) || m.To != int64(len(id3)+len(run1)+len(junk)+len(run2)) {
		t.Errorf("From, To = %d, %d; want %d, %d", m.From, m.To, len(id3), len(id3)+len(run1)+len(junk)+len(run2))
	}
	out := mp4Of(m, file)
	if m.Size() != int64(len(out)) {
		t.Errorf("Size() = %d, want %d", m.Size(), len(out))
	}
	want := 200 * 1152 / 44100.0
	if d, err := readDuration(bytes.NewReader(out), int64(len(out)), M4A); err != nil || math.Abs(d-want) > 1e-9 {
		t.Errorf("readDuration of the MPEG-4 = %v, %v; want %v", d, err, want)
	}
	// Where each frame is in the MPEG-4 file.
	var frames []string
	at := len(m.Header)
	for i := range 200 {
		size := synthHiLen
		if i < 100 {
			size = synthLoLen
		}
		if i == 150 {
			at += len(junk)
		}
		frames = append(frames, strconv.Itoa(size)+","+strconv.Itoa(at)) // ffprobe prints size, then pos
		at += size
	}
	path := filepath.Join(t.TempDir(), "synth.m4a")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(ffprobeOut(t, "-show_entries", "packet=pos,size", path))
	if strings.Join(got, " ") != strings.Join(frames, " ") {
		t.Errorf("ffprobe's packets (size,pos) differ from the frames:\n got %d: %.200v\nwant %d: %.200v", len(got), got, len(frames), frames)
	}

	for name, in := range map[string][]byte{
		"cbr":      durCat(id3, durMP3Frames(synthHi, synthHiLen, 200)),
		"layer II": durCat(durMP3Frames([4]byte{0xff, 0xfd, 0x10, 0x00}, 104, 50), durMP3Frames([4]byte{0xff, 0xfd, 0xe0, 0x00}, 1253, 50)),
	} {
		if _, ok, err := MP3AsMP4(bytes.NewReader(in), int64(len(in))); ok || err != nil {
			t.Errorf("%s: MP3AsMP4 = %v, %v; want no remux and no error", name, ok, err)
		}
	}
	if _, _, err := MP3AsMP4(bytes.NewReader([]byte("not audio at all")), 16); err == nil {
		t.Error("MP3AsMP4 of junk: no error")
	}
}

// lameTag returns a LAME tag (9-byte encoder version, then at byte 21 the
// 12-bit encoder delay and padding) for the given delay and padding.
func lameTag(delay, padding uint32) []byte {
	b := make([]byte, 36)
	copy(b, "LAME3.100")
	v := delay<<12 | padding
	b[21], b[22], b[23] = byte(v>>16), byte(v>>8), byte(v)
	return b
}

// TestMP3AsMP4HeaderFrame remuxes VBR streams whose first frame is a Xing
// or VBRI header: the MPEG-4 must leave that frame out (it holds no
// audio), and get an edit list only when a LAME tag follows the Xing
// header, skipping delay + 529 samples and keeping frames × 1152 − delay −
// padding, which is then the length our MPEG-4 reader reads.
func TestMP3AsMP4HeaderFrame(t *testing.T) {
	run := durCat(durMP3Frames(synthLo, synthLoLen, 100), durMP3Frames(synthHi, synthHiLen, 50))
	lame := durXing(synthLo, synthLoLen, "Xing", 150)
	copy(lame[4+32+16:], lameTag(576, 1368))
	keep := uint32(150*1152 - 576 - 1368)
	for _, c := range []struct {
		name  string
		first []byte // the header frame
		elst  []byte // the elst box's body, nil for none
	}{
		{"xing", durXing(synthLo, synthLoLen, "Xing", 150), nil},
		{"vbri", durVBRI(synthHi, synthHiLen, 150), nil},
		{"xing+lame", lame, durBE32s(0, 1, keep, 576+529, 0x10000)},
	} {
		in := durCat(durID3v2(50), c.first, run)
		m, ok, err := MP3AsMP4(bytes.NewReader(in), int64(len(in)))
		if err != nil || !ok {
			t.Errorf("%s: MP3AsMP4 = %v, %v; want a remux", c.name, ok, err)
			continue
		}
		if from := int64(50 + 10 + len(c.first)); m.From != from || m.To != int64(len(in)) {
			t.Errorf("%s: From, To = %d, %d; want %d, %d", c.name, m.From, m.To, from, len(in))
		}
		i := bytes.Index(m.Header, []byte("elst"))
		switch {
		case c.elst == nil && i >= 0:
			t.Errorf("%s: an edit list, want none", c.name)
		case c.elst != nil && (i < 0 || !bytes.Equal(m.Header[i+4:min(i+4+len(c.elst), len(m.Header))], c.elst)):
			t.Errorf("%s: elst %x, want %x", c.name, m.Header[max(i, 0):min(max(i, 0)+4+len(c.elst), len(m.Header))], c.elst)
		}
		want := 150 * 1152 / 44100.0
		if c.elst != nil {
			want = float64(keep) / 44100
		}
		out := mp4Of(m, in)
		if d, err := readDuration(bytes.NewReader(out), int64(len(out)), M4A); err != nil || math.Abs(d-want) > 1e-9 {
			t.Errorf("%s: readDuration of the MPEG-4 = %v, %v; want %v", c.name, d, err, want)
		}
	}
}

// durBE32s returns each value as 4 big-endian bytes, one after the other.
func durBE32s(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = append(b, durBE32(v)...)
	}
	return b
}

// ffprobeOut runs ffprobe quietly with CSV output and returns its output.
func ffprobeOut(t *testing.T, args ...string) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	out, err := exec.Command("ffprobe", append([]string{"-v", "error", "-of", "csv=p=0"}, args...)...).Output()
	if err != nil {
		t.Fatalf("ffprobe %v: %v", args, err)
	}
	return string(out)
}

// TestMP3AsMP4Files remuxes LAME's files: a VBR MP3, without a Xing header
// or with one and a LAME tag (MPEG-1 stereo and MPEG-2 mono), gets an
// MPEG-4 file whose length ffprobe reads as the decoded length (for the
// MP3 without a header it only estimates it) and that ffmpeg decodes to
// the same audio (the same PCM). ffmpeg's mov demuxer honours an edit
// list's start but not its end, so for files with a LAME tag the MP3's PCM
// need only be a prefix of the MPEG-4's, less than a frame shorter. CBR
// and Layer II get no remux.
func TestMP3AsMP4Files(t *testing.T) {
	names := []string{"vbr-noxing.mp3", "cbr-info.mp3", "vbr-xing.mp3", "cbr-noinfo.mp3", "cbr-id3v1.mp3", "mpeg2-vbr.mp3", "mpeg25-cbr.mp3", "layer2.mp3"}
	dir := durGenerate(t, durSeconds, names...)
	durFFmpeg(t, []string{"-i", filepath.Join(dir, "base.wav"), "-c:a", "libmp3lame", "-ar", "22050", "-ac", "1", "-q:a", "6", "-write_xing", "0", filepath.Join(dir, "mpeg2-vbr-noxing.mp3")})
	want := map[string]bool{"vbr-noxing.mp3": true, "mpeg2-vbr-noxing.mp3": true, "vbr-xing.mp3": true, "mpeg2-vbr.mp3": true}
	for _, name := range append(names, "mpeg2-vbr-noxing.mp3") {
		file := filepath.Join(dir, name)
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, ok, err := MP3AsMP4(bytes.NewReader(b), int64(len(b)))
		if err != nil || ok != want[name] {
			t.Errorf("%s: MP3AsMP4 = %v, %v; want %v", name, ok, err, want[name])
			continue
		}
		if !ok {
			continue
		}
		out := filepath.Join(t.TempDir(), name+".m4a")
		if err := os.WriteFile(out, mp4Of(m, b), 0o644); err != nil {
			t.Fatal(err)
		}
		a, b := pcm(t, file), pcm(t, out)
		var rate, channels int
		if _, err := fmt.Sscanf(ffprobeOut(t, "-show_entries", "stream=sample_rate,channels", file), "%d,%d", &rate, &channels); err != nil {
			t.Fatal(err)
		}
		decoded := float64(len(a)) / float64(2*channels*rate)
		if d := playertest.Probe(t, out); math.Abs(d-decoded) > 1e-3 {
			t.Errorf("%s as MPEG-4: ffprobe says %.4f s, want the decoded %.4f s (as MP3: %.3f s)", name, d, decoded, playertest.Probe(t, file))
		}
		if extra := len(b) - len(a); !bytes.HasPrefix(b, a) || extra < 0 || extra >= 1152*2*channels || extra > 0 && !bytes.Contains(m.Header, []byte("elst")) {
			t.Errorf("%s: the MPEG-4 decodes to other audio: %d bytes of PCM, the MP3 %d, a prefix: %v", name, len(b), len(a), bytes.HasPrefix(b, a))
		}
	}
}

// pcm returns the decoded audio of file as ffmpeg decodes it, 16-bit
// little-endian interleaved samples.
func pcm(t *testing.T, file string) []byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-i", file, "-map", "0:a", "-f", "s16le", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg decode of %s: %v", file, err)
	}
	return out
}

// FuzzMP3AsMP4 checks that no input makes MP3AsMP4 panic or describe an
// MPEG-4 file that does not hold: its range must lie in the file, and our
// own MPEG-4 reader must read it back with a positive length that is a
// whole number of frames, or, with an edit list, no longer than them.
// Seeded with the synthetic VBR stream and short
// LAME files, whole and cut.
func FuzzMP3AsMP4(f *testing.F) {
	f.Add(durCat(durID3v2(30), durMP3Frames(synthLo, synthLoLen, 20), []byte{1, 2, 3}, durMP3Frames(synthHi, synthHiLen, 20), durID3v1()))
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
		m, ok, err := MP3AsMP4(bytes.NewReader(b), int64(len(b)))
		if err != nil || !ok {
			return
		}
		if m.From < 0 || m.From >= m.To || m.To > int64(len(b)) {
			t.Fatalf("range [%d, %d) outside a file of %d bytes", m.From, m.To, len(b))
		}
		out := mp4Of(m, b)
		d, err := readDuration(bytes.NewReader(out), int64(len(out)), M4A)
		if err != nil || d <= 0 {
			t.Fatalf("the MPEG-4 reads %v, %v", d, err)
		}
		h, _ := parseMPEGHeader(b[m.From:])
		frames := d * float64(h.rate) / float64(h.samples)
		if i := bytes.Index(m.Header, []byte("stsz")); bytes.Contains(m.Header, []byte("elst")) && i >= 0 {
			if n := binary.BigEndian.Uint32(m.Header[i+12:]); frames > float64(n)+1e-6 {
				t.Errorf("the MPEG-4 lasts %v s, %v frames, more than its %d", d, frames, n)
			}
		} else if math.Abs(frames-math.Round(frames)) > 1e-6 {
			t.Errorf("the MPEG-4 lasts %v s, %v frames", d, frames)
		}
	})
}
