package transcode

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"earshot/player/probe"
)

// TestMP3BitRateAtMost picks the highest MPEG-1 bit rate at most the one
// asked, and the lowest when none is.
func TestMP3BitRateAtMost(t *testing.T) {
	for _, tc := range []struct{ in, want int }{
		{0, 32000}, {1000, 32000}, {32000, 32000}, {63999, 56000}, {64000, 64000}, {100000, 96000},
		{128000, 128000}, {160000, 160000}, {191000, 160000}, {320000, 320000}, {1 << 30, 320000},
	} {
		if got := MP3BitRateAtMost(tc.in); got != tc.want {
			t.Errorf("MP3BitRateAtMost(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestMP3AtBitRates makes the data-saver MP3 of a 20 s file at low,
// default and high bit rates and reads it whole and from a frame in the
// middle (as a seek does): its size is the layout's, every frame starts
// with the filler's header (so the frames are fixed at that rate),
// ffprobe reads the asked bit rate at 48 kHz, and a bit rate that is not
// MPEG-1's is refused.
func TestMP3AtBitRates(t *testing.T) {
	path := alacFixture(t)
	tc := New(Options{Tools: probe.FindTools(), MaxProcesses: 2})
	in := probe.Input{DiskPath: path}
	for _, rate := range []int{32000, 64000, 128000, 192000, 320000} {
		f, err := tc.MP3At(context.Background(), in, 20, rate)
		if err != nil {
			t.Fatal(err)
		}
		l := MP3LayoutAt(20, rate)
		whole, err := io.ReadAll(f)
		if err != nil || int64(len(whole)) != l.Size() || l.Unit != int64(3*rate/1000) {
			t.Fatalf("%d bit/s: %d bytes, %v; want %d in frames of %d", rate, len(whole), err, l.Size(), 3*rate/1000)
		}
		for i := int64(0); i < int64(len(whole)); i += l.Unit {
			if !bytes.Equal(whole[i:i+3], l.Filler[:3]) {
				t.Fatalf("%d bit/s: frame at %d has header % x, want % x", rate, i, whole[i:i+4], l.Filler[:4])
			}
		}
		off := 400 * l.Unit
		f.Seek(off, io.SeekStart)
		tail, err := io.ReadAll(f)
		if err != nil || int64(len(tail)) != l.Size()-off || !bytes.Equal(tail[:3], l.Filler[:3]) {
			t.Errorf("%d bit/s: read from frame 400: %d bytes, %v", rate, len(tail), err)
		}
		f.Close()
		if got := probeStream(t, whole); got != "48000,"+strconv.Itoa(rate) {
			t.Errorf("%d bit/s: ffprobe reads sample rate,bit rate %q", rate, got)
		}
		if n := len(decodeMP3(t, whole)); n != int(l.Units)*1152 {
			t.Errorf("%d bit/s: decodes to %d samples, want %d", rate, n, l.Units*1152)
		}
	}
	if _, err := tc.MP3At(context.Background(), in, 20, 100000); err == nil {
		t.Error("MP3At 100000 bit/s: no error")
	}
}

// probeStream returns ffprobe's "sample_rate,bit_rate" of an MP3.
func probeStream(t *testing.T, mp3 []byte) string {
	t.Helper()
	cmd := exec.Command("ffprobe", "-v", "error", "-f", "mp3", "-show_entries", "stream=sample_rate,bit_rate",
		"-of", "csv=p=0", "pipe:0")
	cmd.Stdin = bytes.NewReader(mp3)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	return strings.TrimSpace(string(out))
}
