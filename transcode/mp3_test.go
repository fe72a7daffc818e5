package transcode

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"math"
	"os/exec"
	"strconv"
	"testing"

	"earshot/player/probe"
)

// decodeMP3 decodes MP3 bytes with ffmpeg into 48 kHz mono 16-bit samples.
func decodeMP3(t *testing.T, mp3 []byte) []int16 {
	t.Helper()
	cmd := exec.Command("ffmpeg", "-v", "error", "-f", "mp3", "-i", "pipe:0", "-ac", "1", "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1")
	cmd.Stdin = bytes.NewReader(mp3)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("ffmpeg decoding the MP3: %v\n%s", err, stderr.Bytes())
	}
	s := make([]int16, len(out)/2)
	binary.Read(bytes.NewReader(out), binary.LittleEndian, s)
	return s
}

// rms returns the root mean square of a[i]−b[i] (b nil: of a).
func rms(a, b []int16) float64 {
	var sum float64
	for i := range a {
		d := float64(a[i])
		if b != nil {
			d -= float64(b[i])
		}
		sum += d * d
	}
	return math.Sqrt(sum / float64(max(len(a), 1)))
}

// TestMP3FramesAreFixed checks the layout's premise on ffmpeg's own
// output: an encode of n samples is ⌈n/1152⌉+1 frames, each 384
// bytes with the same header, for lengths that do and don't fill a frame.
func TestMP3FramesAreFixed(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ffmpeg")
	}
	for _, n := range []int{48000, 350400, 1152 * 100, 1152*100 + 1, 1} {
		out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anoisesrc=r=48000:a=0.3",
			"-af", "atrim=end_sample="+itoa(int64(n)), "-c:a", "libmp3lame", "-ac", "2", "-ar", "48000", "-b:a", "128000",
			"-reservoir", "0", "-f", "mp3", "-write_xing", "0", "-id3v2_version", "0", "pipe:1").Output()
		if err != nil {
			t.Fatal(err)
		}
		l := MP3Layout(float64(n) / MP3Rate)
		if int64(len(out)) != l.Size() {
			t.Errorf("%d samples: ffmpeg wrote %d bytes, layout says %d", n, len(out), l.Size())
		}
		for i := 0; i+4 <= len(out); i += MP3FrameBytes {
			if !bytes.Equal(out[i:i+3], l.Filler[:3]) {
				t.Fatalf("%d samples: frame at %d has header % x, want % x", n, i, out[i:i+4], l.Filler[:4])
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestSilentMP3Frame decodes a run of filler frames: silence, no errors.
func TestSilentMP3Frame(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ffmpeg")
	}
	l := MP3Layout(1)
	pcm := decodeMP3(t, bytes.Repeat(l.Filler, 20))
	if len(pcm) != 20*1152 || rms(pcm, nil) != 0 {
		t.Errorf("20 filler frames decode to %d samples of RMS %.1f, want 23040 of silence", len(pcm), rms(pcm, nil))
	}
}

// TestMP3SeeksAnywhere reads a data-saver MP3 of a 20 s ALAC file whole,
// then from frames across it (as a seeking player's Range requests do):
// the size is the layout's, and a read from frame k spliced after the
// whole read's first k frames decodes to the same audio as the whole read
// from frame k+1 on (a frame off would be a 24 ms shift: a loud
// difference), within the encoder's own noise.
func TestMP3SeeksAnywhere(t *testing.T) {
	path := alacFixture(t)
	tc := New(Options{Tools: probe.FindTools(), MaxProcesses: 2})
	in := probe.Input{DiskPath: path}
	f, err := tc.MP3(context.Background(), in, 20)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	whole, err := io.ReadAll(f)
	if err != nil || int64(len(whole)) != MP3Layout(20).Size() {
		t.Fatalf("ReadAll: %d bytes, %v; want %d", len(whole), err, MP3Layout(20).Size())
	}
	ref := decodeMP3(t, whole)
	signal := rms(ref, nil)
	for _, k := range []int64{1, 2, 417, 700} {
		off := k*MP3FrameBytes + 17 // inside the frame, as a Range may land
		f.Seek(off, io.SeekStart)
		tail, err := io.ReadAll(f)
		if err != nil || int64(len(tail)) != int64(len(whole))-off {
			t.Fatalf("read from %d: %d bytes, %v", off, len(tail), err)
		}
		spliced := decodeMP3(t, append(bytes.Clone(whole[:off]), tail...))
		if len(spliced) != len(ref) {
			t.Fatalf("frame %d: spliced decode %d samples, whole %d", k, len(spliced), len(ref))
		}
		from, to := (k+1)*1152, min((k+40)*1152, int64(len(ref)))
		if d := rms(spliced[from:to], ref[from:to]); d > signal/10 {
			t.Errorf("frame %d: after the splice the audio differs by RMS %.0f (signal %.0f)", k, d, signal)
		}
	}
	f.Close()
	if n := tc.Running(); n != 0 {
		t.Errorf("%d ffmpeg still counted after Close", n)
	}
}

// TestMP3OfShortSource states 25 s for a 20 s file: the file is the
// layout's length, and past the source's end it holds silent frames.
func TestMP3OfShortSource(t *testing.T) {
	path := alacFixture(t)
	tc := New(Options{Tools: probe.FindTools()})
	f, _ := tc.MP3(context.Background(), probe.Input{DiskPath: path}, 25)
	defer f.Close()
	got, err := io.ReadAll(f)
	l := MP3Layout(25)
	if err != nil || int64(len(got)) != l.Size() {
		t.Fatalf("ReadAll: %d bytes, %v; want %d", len(got), err, l.Size())
	}
	if last := got[len(got)-MP3FrameBytes:]; !bytes.Equal(last, l.Filler) {
		t.Error("the last frame, past the source's end, is not the silent filler")
	}
	pcm := decodeMP3(t, got)
	if tail := pcm[len(pcm)-48000*4:]; rms(tail, nil) != 0 {
		t.Errorf("the last 4 s (past the 20 s source) have RMS %.1f, want silence", rms(tail, nil))
	}
}
