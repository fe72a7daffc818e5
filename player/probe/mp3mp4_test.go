package probe

import (
	"bytes"
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
// bytes (so the chunk table skips the junk). CBR, a stream with a Xing or
// VBRI header and Layer II get no remux; junk is an error.
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
		"xing":     durCat(durXing(synthLo, synthLoLen, "Xing", 150), run1),
		"vbri":     durCat(durVBRI(synthHi, synthHiLen, 150), run1),
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

// TestMP3AsMP4Files remuxes LAME's files: a VBR MP3 without a Xing header
// (MPEG-1 stereo and MPEG-2 mono) gets an MPEG-4 file that ffmpeg decodes
// to exactly the same audio (MD5 of the PCM) and whose length ffprobe
// reads as the decoded length (for the MP3 it only estimates it); files
// with a header, CBR and Layer II get none.
func TestMP3AsMP4Files(t *testing.T) {
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
		decoded := playertest.DecodedDuration(t, file)
		if d := playertest.Probe(t, out); math.Abs(d-decoded) > 1e-3 {
			t.Errorf("%s as MPEG-4: ffprobe says %.4f s, want the decoded %.4f s (as MP3: %.3f s)", name, d, decoded, playertest.Probe(t, file))
		}
		if a, b := pcmMD5(t, file), pcmMD5(t, out); a != b {
			t.Errorf("%s: the MPEG-4 decodes to other audio: MD5 %s, the MP3's %s", name, b, a)
		}
	}
}

// pcmMD5 returns the MD5 of the decoded audio of file, as ffmpeg's md5
// muxer prints it.
func pcmMD5(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-i", file, "-map", "0:a", "-f", "md5", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg md5 of %s: %v", file, err)
	}
	return strings.TrimSpace(string(out))
}

// FuzzMP3AsMP4 checks that no input makes MP3AsMP4 panic or describe an
// MPEG-4 file that does not hold: its range must lie in the file, and our
// own MPEG-4 reader must read it back with a positive length that is a
// whole number of frames. Seeded with the synthetic VBR stream and short
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
		if frames := d * float64(h.rate) / float64(h.samples); math.Abs(frames-math.Round(frames)) > 1e-6 {
			t.Errorf("the MPEG-4 lasts %v s, %v frames", d, frames)
		}
	})
}
