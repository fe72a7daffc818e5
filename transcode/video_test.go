package transcode

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"earshot/player/playertest"
	"earshot/player/probe"
)

// TestMP4OfMKVAndAVI makes the MPEG-4 of a Matroska video (H.264 and AAC:
// copied) and of an AVI (MPEG-4 Part 2 and MP3: pictures transcoded):
// each is an MP4 of H.264 with its index first, as long as its source.
func TestMP4OfMKVAndAVI(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "a.mkv", Kind: playertest.MKVVideo, Seconds: 3},
		playertest.Spec{Path: "-b.avi", Kind: playertest.AVIVideo, Seconds: 3})
	tc := New(Options{Tools: probe.FindTools()})
	for _, c := range []struct {
		name string
		want VideoStreams
	}{{"a.mkv", VideoStreams{"h264", "aac"}}, {"-b.avi", VideoStreams{"mpeg4", "mp3"}}} {
		in := probe.Input{DiskPath: filepath.Join(dir, c.name)}
		v, err := tc.ProbeVideo(context.Background(), in)
		if err != nil || v != c.want {
			t.Fatalf("ProbeVideo(%s) = %+v, %v; want %+v", c.name, v, err, c.want)
		}
		out := filepath.Join(dir, c.name+".mp4")
		if err := tc.MP4(context.Background(), in, v, out); err != nil {
			t.Fatalf("MP4(%s): %v", c.name, err)
		}
		report, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name",
			"-of", "default=nw=1", "file:"+out).Output()
		if err != nil {
			t.Fatal(err)
		}
		r := string(report)
		if !strings.Contains(r, "format_name=mov,mp4") || !strings.Contains(r, "codec_name=h264") || !strings.Contains(r, "codec_name="+map[string]string{"aac": "aac", "mp3": "mp3"}[c.want.Audio]) {
			t.Errorf("MP4 of %s: %s", c.name, r)
		}
		if !strings.Contains(r, "duration=2.9") && !strings.Contains(r, "duration=3.0") {
			t.Errorf("MP4 of %s lasts other than 3 s: %s", c.name, r)
		}
	}
	if n := tc.Running(); n != 0 {
		t.Errorf("%d slots still taken", n)
	}
	// A file with no pictures is refused.
	playertest.Generate(t, dir, playertest.Spec{Path: "c.mka", Kind: playertest.MKA, Seconds: 1})
	if _, err := tc.ProbeVideo(context.Background(), probe.Input{DiskPath: filepath.Join(dir, "c.mka")}); err == nil {
		t.Error("ProbeVideo of an audio-only Matroska file: no error")
	}
}
