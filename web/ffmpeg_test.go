package web

import (
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"earshot/player/playertest"
)

// TestFFmpegSeeksIntoStream has ffmpeg, a real HTTP client, decode each
// track from its middle: with -ss before -i it seeks in the URL with a Range
// request, and must get audio back from there.
func TestFFmpegSeeksIntoStream(t *testing.T) {
	rs := newRealServer(t)
	for _, rt := range realTracks {
		t.Run(string(rt.spec.Kind), func(t *testing.T) {
			tr := rs.trackByPath(t, rt.spec.Path)
			url := rs.URL + "/api/tracks/" + tr.ID + "/stream"
			before := len(rs.rangesSeen())
			// A VBR MP3 is served as MPEG-4 (web/mp3seek.go), so ffmpeg seeks
			// it with the sample table; the other formats by their own index.
			args := []string{"-v", "error", "-nostdin", "-ss", "60", "-i", url, "-t", "3", "-f", "wav", "-"}
			out, err := exec.Command("ffmpeg", args...).Output()
			if err != nil {
				t.Fatalf("ffmpeg -ss 60 -i %s: %v", url, err)
			}
			// 3 s of decoded PCM: more than a second's worth means real audio came back.
			if len(out) < 44100*2*2 {
				t.Errorf("ffmpeg decoded %d bytes from 60 s on, want ≥ 1 s of audio", len(out))
			}
			seeked := false
			for _, r := range rs.rangesSeen()[before:] {
				if start, ok := strings.CutPrefix(r, "bytes="); ok && !strings.HasPrefix(start, "0-") {
					seeked = true
				}
			}
			if !seeked {
				t.Errorf("ffmpeg sent no Range request past byte 0: %q", rs.rangesSeen()[before:])
			}

			// ffprobe over HTTP agrees with ffprobe on the file, and with the API.
			probed := probeURL(t, url)
			if want := playertest.Probe(t, realLibraryDir(t)+"/"+rt.spec.Path); math.Abs(probed-want) > 0.05 {
				t.Errorf("ffprobe over HTTP: %.3f s, on disk %.3f s", probed, want)
			}
			if math.Abs(tr.Duration-probed) > 0.05 {
				t.Errorf("API duration %.3f s, ffprobe %.3f s", tr.Duration, probed)
			}
		})
	}
}

func probeURL(t *testing.T, url string) float64 {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", url).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", url, err)
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("ffprobe printed %q", out)
	}
	return d
}
