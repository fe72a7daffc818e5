package transcode

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"testing"

	"earshot/player/playertest"
	"earshot/player/probe"
)

// alacFixture makes a 20 s ALAC file and returns its path.
func alacFixture(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs ffmpeg fixtures")
	}
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "a b/-x song.m4a", Kind: playertest.ALAC, Seconds: 20})
	return filepath.Join(dir, "a b", "-x song.m4a")
}

func TestProbeAndWAVOfALAC(t *testing.T) {
	path := alacFixture(t)
	tc := New(Options{Tools: probe.FindTools(), MaxProcesses: 2})
	in := probe.Input{DiskPath: path}
	s, err := tc.Probe(context.Background(), in, "k")
	if err != nil {
		t.Fatal(err)
	}
	if s.Codec != "alac" || s.Rate != 44100 || s.Channels != 2 || s.Duration < 19.9 {
		t.Fatalf("Probe = %+v, want ALAC 44.1 kHz stereo of 20 s", s)
	}
	pcm := Shape(s, s.Duration)
	w, err := tc.WAV(context.Background(), in, pcm)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	got, err := io.ReadAll(w)
	if err != nil || int64(len(got)) != pcm.Size() {
		t.Fatalf("ReadAll: %d bytes, %v; want %d", len(got), err, pcm.Size())
	}
	// The data is what ffmpeg decodes from the start, to the byte.
	direct, err := exec.Command("ffmpeg", "-v", "error", "-i", "file:"+path, "-f", "s16le", "-c:a", "pcm_s16le", "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	data := got[HeaderSize:]
	if n := min(len(direct), len(data)); !bytes.Equal(direct[:n], data[:n]) || len(direct)-len(data) > 4 || len(data)-len(direct) > 4 {
		t.Fatalf("WAV data (%d bytes) differs from ffmpeg's decode (%d bytes)", len(data), len(direct))
	}
	// A read anywhere gives the same bytes as the whole read: ffmpeg's
	// -ss lands on the sample.
	for _, off := range []int64{44, 1000001, 2646000, int64(len(got)) - 50000, 7, 3000000} {
		w.Seek(off, io.SeekStart)
		b := make([]byte, 40000)
		n, _ := io.ReadFull(w, b)
		if !bytes.Equal(b[:n], got[off:off+int64(n)]) || n == 0 {
			t.Errorf("40000 bytes at %d (%d read) differ from the whole read's", off, n)
		}
	}
	w.Close()
	if n := tc.Running(); n != 0 {
		t.Errorf("%d ffmpeg processes still counted after Close", n)
	}
	// A second Probe of the same key runs nothing: it is kept.
	tc.tools.FFprobe = "/nonexistent/ffprobe"
	if s2, err := tc.Probe(context.Background(), in, "k"); err != nil || s2 != s {
		t.Errorf("Probe again = %+v, %v; want the kept answer", s2, err)
	}
}

func TestWAVOfUnreadableFile(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ffmpeg")
	}
	tc := New(Options{Tools: probe.FindTools()})
	in := probe.Input{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader([]byte("not audio at all"))), nil }}
	if _, err := tc.Probe(context.Background(), in, "x"); err == nil {
		t.Error("Probe of text: no error")
	}
	w, _ := tc.WAV(context.Background(), in, PCM{Rate: 44100, Channels: 2, Frames: 44100})
	defer w.Close()
	w.Seek(44, io.SeekStart)
	if _, err := io.ReadAll(w); err == nil {
		t.Error("reading a WAV of a file ffmpeg cannot decode: no error")
	}
}
