package probe

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"earshot/player/playertest"
)

// TestMP4AudioCodec reads the codec of MPEG-4 files of several codecs and
// layouts (moov last, first, fragmented; a video whose first track is the
// picture) and checks it against ffprobe's codec_name of the first audio
// stream; a file that is no MPEG-4 file is an ErrBadMedia.
func TestMP4AudioCodec(t *testing.T) {
	dir := durGenerate(t, 2, "aac.m4a", "alac.m4a", "faststart.m4a", "fragmented.m4a")
	base := filepath.Join(dir, "base.wav")
	durFFmpeg(t,
		[]string{"-i", base, "-c:a", "flac", "-strict", "-2", filepath.Join(dir, "flac.mp4")},
		[]string{"-i", base, "-c:a", "ac3", filepath.Join(dir, "ac3.m4a")},
		[]string{"-i", base, "-c:a", "alac", "-movflags", "+faststart", filepath.Join(dir, "alac-faststart.m4a")})
	playertest.Generate(t, dir, playertest.Spec{Path: "video.mp4", Kind: playertest.H264, Seconds: 1})
	for _, c := range []struct{ name, want string }{
		{"aac.m4a", "aac"}, {"alac.m4a", "alac"}, {"faststart.m4a", "aac"}, {"fragmented.m4a", "aac"},
		{"flac.mp4", "flac"}, {"ac3.m4a", "ac3"}, {"alac-faststart.m4a", "alac"}, {"video.mp4", "aac"},
	} {
		file := filepath.Join(dir, c.name)
		out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file).Output()
		if err != nil {
			t.Fatalf("ffprobe %s: %v", c.name, err)
		}
		if ff, _, _ := strings.Cut(strings.TrimSpace(string(out)), ","); ff != c.want {
			t.Fatalf("%s: ffprobe says %q, the test wants %q", c.name, ff, c.want)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		got, err := MP4AudioCodec(f, st.Size())
		f.Close()
		if got != c.want || err != nil {
			t.Errorf("MP4AudioCodec(%s) = %q, %v; want %q (ffprobe's)", c.name, got, err, c.want)
		}
	}
	junk := []byte(strings.Repeat("not an MPEG-4 file ", 20))
	if got, err := MP4AudioCodec(bytes.NewReader(junk), int64(len(junk))); !errors.Is(err, ErrBadMedia) {
		t.Errorf("MP4AudioCodec(junk) = %q, %v; want an ErrBadMedia", got, err)
	}
}
