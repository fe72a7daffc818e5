package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/transcode"
)

// cachedServer is tcServer with a transcode cache in a new folder.
func cachedServer(t *testing.T) (*Server, *player.Library, *transcode.DiskCache) {
	t.Helper()
	cache, err := transcode.OpenDiskCache(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	s, lib := tcServer(t, Options{TranscodeCache: cache})
	return s, lib, cache
}

// TestTranscodeCache plays the WAV and MP3 transcodes of the ALAC track
// once (served live, then made whole in the cache in the background) and
// again: the second answers are the same bytes and ETag, whole and in
// ranges, and start no ffmpeg.
func TestTranscodeCache(t *testing.T) {
	s, lib, cache := cachedServer(t)
	h := s.Handler()
	tr, _ := lib.Track(tcID("A/01 alac.m4a"))
	held := int64(0)
	for _, ext := range []string{".wav", ".mp3"} {
		url := "/api/tracks/" + tr.ID + "/stream" + ext
		first := do(h, "GET", url, nil)
		if first.Code != 200 {
			t.Fatalf("GET %s: %d", url, first.Code)
		}
		s.fills.wait()
		held += int64(first.Body.Len())
		if cache.Size() != held {
			t.Fatalf("%s: the cache holds %d bytes after the fill, want %d", ext, cache.Size(), held)
		}
		runs := s.tc.Started()
		again := do(h, "GET", url, nil)
		if !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) || again.Header().Get("ETag") != first.Header().Get("ETag") {
			t.Errorf("%s from the cache: %d bytes, ETag %s; live: %d bytes, ETag %s", ext, again.Body.Len(), again.Header().Get("ETag"), first.Body.Len(), first.Header().Get("ETag"))
		}
		n := first.Body.Len()
		for _, rg := range [][2]int{{0, 99}, {n * 8 / 10, n*8/10 + 4095}, {n - 10, n - 1}} {
			rec := do(h, "GET", url, http.Header{"Range": {"bytes=" + itoa(rg[0]) + "-" + itoa(rg[1])}})
			if rec.Code != 206 || !bytes.Equal(rec.Body.Bytes(), first.Body.Bytes()[rg[0]:rg[1]+1]) {
				t.Errorf("%s from the cache, Range %v: %d, %d bytes", ext, rg, rec.Code, rec.Body.Len())
			}
		}
		if head := do(h, "HEAD", url, nil); head.Header().Get("Content-Length") != itoa(n) {
			t.Errorf("%s HEAD from the cache: Content-Length %s, want %d", ext, head.Header().Get("Content-Length"), n)
		}
		if got := s.tc.Started(); got != runs {
			t.Errorf("%s: %d ffmpeg started while serving from the cache", ext, got-runs)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestVideoMP4 plays a Matroska video (H.264 and AAC, remuxed) and an AVI
// (MPEG-4 Part 2 and MP3, transcoded) through /stream: each answers as
// MPEG-4 that ffprobe reads over HTTP (with Range requests) as H.264 of
// the source's length, ranges as any file, and a second play runs no
// ffmpeg.
func TestVideoMP4(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "V/a.mkv", Kind: playertest.MKVVideo, Seconds: 3},
		playertest.Spec{Path: "V/b.avi", Kind: playertest.AVIVideo, Seconds: 3})
	lib := folderLibrary(t, dir)
	cache, _ := transcode.OpenDiskCache(t.TempDir(), 0)
	s := New(lib, Options{TranscodeCache: cache})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, p := range []string{"V/a.mkv", "V/b.avi"} {
		tr, err := lib.Track(player.TrackID(p))
		if err != nil || !tr.Video {
			t.Fatalf("%s: %+v, %v", p, tr, err)
		}
		url := srv.URL + "/api/tracks/" + tr.ID + "/stream"
		out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name", "-of", "default=nw=1", url).Output()
		if err != nil || !strings.Contains(string(out), "format_name=mov,mp4") || !strings.Contains(string(out), "codec_name=h264") {
			t.Errorf("ffprobe %s (%s): %v\n%s", url, p, err, out)
		}
		runs := s.tc.Started()
		rec := do(s.Handler(), "GET", "/api/tracks/"+tr.ID+"/stream", http.Header{"Range": {"bytes=100-199"}})
		if rec.Code != 206 || rec.Body.Len() != 100 || rec.Header().Get("Content-Type") != "video/mp4" {
			t.Errorf("%s Range 100-199: %d, %d bytes, %s", p, rec.Code, rec.Body.Len(), rec.Header().Get("Content-Type"))
		}
		if got := s.tc.Started(); got != runs {
			t.Errorf("%s: %d ffmpeg started for a cached video", p, got-runs)
		}
	}
	// Without a cache the page is told why.
	plain := New(lib, Options{})
	if rec := do(plain.Handler(), "GET", "/api/tracks/"+player.TrackID("V/a.mkv")+"/stream", nil); rec.Code != 503 || !strings.Contains(rec.Body.String(), "cache") {
		t.Errorf("MKV without a cache: %d %s", rec.Code, rec.Body)
	}
}
