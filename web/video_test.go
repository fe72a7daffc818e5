package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"image/jpeg"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// videoTestWebM returns a minimal WebM file (RFC 9559): an EBML header and
// a Segment whose Info states a length of seconds and whose one video
// track is width×height pixels, with no media.
func videoTestWebM(seconds float64, width, height uint64) []byte {
	el := func(id []byte, body ...[]byte) []byte {
		data := bytes.Join(body, nil)
		size := binary.BigEndian.AppendUint64(nil, uint64(len(data)))
		size[0] = 0x01 // an 8-byte size
		return bytes.Join([][]byte{id, size, data}, nil)
	}
	u := func(id []byte, v uint64) []byte { return el(id, binary.BigEndian.AppendUint64(nil, v)) }
	f := func(id []byte, v float64) []byte {
		return el(id, binary.BigEndian.AppendUint64(nil, math.Float64bits(v)))
	}
	return bytes.Join([][]byte{
		el([]byte{0x1A, 0x45, 0xDF, 0xA3}, el([]byte{0x42, 0x82}, []byte("webm"))),
		el([]byte{0x18, 0x53, 0x80, 0x67},
			el([]byte{0x15, 0x49, 0xA9, 0x66}, u([]byte{0x2A, 0xD7, 0xB1}, 1_000_000), f([]byte{0x44, 0x89}, seconds*1000)),
			el([]byte{0x16, 0x54, 0xAE, 0x6B}, el([]byte{0xAE}, u([]byte{0x83}, 1),
				el([]byte{0xE0}, u([]byte{0xB0}, width), u([]byte{0xBA}, height))))),
	}, nil)
}

// TestAPIVideos checks GET /api/videos against its golden file, and that
// the videos stay out of /api/tracks and search but are tracks to
// /api/tracks/{id}.
func TestAPIVideos(t *testing.T) {
	fsys := apiFS()
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	fsys["Films/Opening Night.webm"] = &fstest.MapFile{Data: videoTestWebM(12.345, 640, 360), ModTime: mod}
	fsys["Films/archive.webm"] = &fstest.MapFile{Data: videoTestWebM(90, 1920, 1080), ModTime: mod}
	lib := testLibrary(t, fsys)
	h := New(lib, Options{}).Handler()

	rec := do(h, "GET", "/api/videos", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("GET /api/videos: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
		t.Fatalf("invalid JSON %q: %v", rec.Body, err)
	}
	golden := filepath.Join("testdata", "videos.golden")
	if *update {
		os.WriteFile(golden, pretty.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("GET /api/videos =\n%s\nwant (%s)\n%s", pretty.Bytes(), golden, want)
	}

	for _, target := range []string{"/api/tracks", "/api/search?q=night", "/api/folders?path="} {
		if rec := do(h, "GET", target, nil); rec.Code != 200 || strings.Contains(rec.Body.String(), "webm") {
			t.Errorf("GET %s: %d, lists a video: %s", target, rec.Code, rec.Body)
		}
	}
	id := player.TrackID("Films/archive.webm")
	rec = do(h, "GET", "/api/tracks/"+id, nil)
	var tr player.Track
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); rec.Code != 200 || err != nil || !tr.Video || tr.Width != 1920 || tr.MIMEType != "video/webm" {
		t.Errorf("GET /api/tracks/%s: %d %+v %v", id, rec.Code, tr, err)
	}
	if rec := do(h, "POST", "/api/videos", nil); rec.Code != 405 {
		t.Errorf("POST /api/videos: %d, want 405", rec.Code)
	}
	empty := New(testLibrary(t, apiFS()), Options{}).Handler()
	if rec := do(empty, "GET", "/api/videos", nil); strings.TrimSpace(rec.Body.String()) != `{"videos":[]}` {
		t.Errorf("GET /api/videos with no videos = %s, want an empty array", rec.Body)
	}
}

// browserVideos are the videos of the browser and streaming tests: one
// per container browsers play, long enough to seek in.
var browserVideos = []playertest.Spec{
	{Path: "Clips/Test Pattern.webm", Kind: playertest.VP9, Seconds: 20},
	{Path: "Clips/Test Pattern H264.mp4", Kind: playertest.H264, Seconds: 20},
}

// convertedVideos are videos no browser plays as they are, which the
// server makes into MPEG-4 (see [Server.serveVideoMP4]): Matroska (H.264
// and AAC, remuxed) and AVI (MPEG-4 Part 2 and MP3, transcoded).
var convertedVideos = []playertest.Spec{
	{Path: "Clips/Test Pattern MKV.mkv", Kind: playertest.MKVVideo, Seconds: 20},
	{Path: "Clips/Test Pattern AVI.avi", Kind: playertest.AVIVideo, Seconds: 20},
}

// newVideoLibrary generates [browserVideos] and extra in a temporary
// folder and scans them into a library, returning it with the folder.
func newVideoLibrary(t *testing.T, extra ...playertest.Spec) (*player.Library, string) {
	t.Helper()
	dir := t.TempDir()
	specs := append(slices.Clone(browserVideos), extra...)
	playertest.Generate(t, dir, specs...)
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	rep, err := lib.Scan(context.Background(), src)
	if err != nil || rep.Videos != len(specs) || rep.Tracks != 0 || len(rep.Skipped) != 0 {
		t.Fatalf("Scan = %+v, %v; want %d videos", rep, err, len(specs))
	}
	return lib, dir
}

// TestVideoStreamAndPoster checks that a video streams with Range requests
// like a song (206 with its video media type) and that its cover is a
// JPEG poster frame, in full and as a thumbnail.
func TestVideoStreamAndPoster(t *testing.T) {
	lib, dir := newVideoLibrary(t)
	h := New(lib, Options{}).Handler()
	for _, spec := range browserVideos {
		t.Run(string(spec.Kind), func(t *testing.T) {
			v, err := lib.Track(player.TrackID(spec.Path))
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, spec.Path))
			if err != nil {
				t.Fatal(err)
			}
			url := "/api/tracks/" + v.ID + "/stream"
			rec := do(h, "GET", url, http.Header{"Range": {"bytes=1000-1999"}})
			if rec.Code != 206 || rec.Header().Get("Content-Type") != v.MIMEType || !bytes.Equal(rec.Body.Bytes(), data[1000:2000]) {
				t.Errorf("GET %s Range bytes=1000-1999: %d %q, %d bytes", url, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
			}
			if cr := rec.Header().Get("Content-Range"); cr != "bytes 1000-1999/"+strconv.Itoa(len(data)) {
				t.Errorf("Content-Range = %q", cr)
			}
			for _, target := range []string{"/api/tracks/" + v.ID + "/cover", "/api/tracks/" + v.ID + "/cover?size=300"} {
				rec := do(h, "GET", target, nil)
				if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/jpeg" {
					t.Fatalf("GET %s: %d %q %s", target, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				}
				want := playertest.VideoWidth // the full poster: the video's own width
				if strings.HasSuffix(target, "=300") {
					want = 300
				}
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(rec.Body.Bytes()))
				if err != nil || cfg.Width != want {
					t.Errorf("GET %s: a %d×%d JPEG (%v)", target, cfg.Width, cfg.Height, err)
				}
			}
		})
	}
}
