package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
)

// realTrack is a fixture of the real-audio tests: its encoding and length.
type realTrack struct {
	spec  playertest.Spec
	title string
}

// realTracks are a few minutes of real recorded audio (the dhowden/tag
// sample, looped) in each format browsers and ffmpeg must seek in.
var realTracks = []realTrack{
	{playertest.Spec{Path: "Test Artist/Test Album/01 Song.mp3", Kind: playertest.MP3VBR, Seconds: 150}, "Song One"},
	{playertest.Spec{Path: "Test Artist/Test Album/02 Song.flac", Kind: playertest.FLAC, Seconds: 150}, "Song Two"},
	{playertest.Spec{Path: "Test Artist/Test Album/03 Song.opus", Kind: playertest.Opus, Seconds: 150}, "Song Three"},
	{playertest.Spec{Path: "Test Artist/Test Album/04 Song.m4a", Kind: playertest.AAC, Seconds: 150}, "Song Four"},
}

var (
	realOnce sync.Once
	realDir  string
)

// realLibraryDir generates the real-audio fixtures once per test binary
// (they take a few seconds to encode) and returns their folder.
func realLibraryDir(t testing.TB) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	realOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "earshot-real-")
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(tmp, "Music")
		var specs []playertest.Spec
		for i, rt := range realTracks {
			s := rt.spec
			s.Cover = true
			s.Tags = map[string]string{"title": rt.title, "artist": "Test Artist", "album": "Test Album",
				"track": string(rune('1'+i)) + "/4", "date": "2001", "genre": "Jazz"}
			specs = append(specs, s)
		}
		playertest.Generate(t, dir, specs...)
		realDir = dir
	})
	if realDir == "" {
		t.Fatal("real-audio fixtures could not be generated (see the first failure)")
	}
	return realDir
}

func TestMain(m *testing.M) {
	if iface := os.Getenv(mdnsQueryEnv); iface != "" {
		os.Exit(browseMDNS(iface)) // the phone's side of TestLANPhone
	}
	code := m.Run()
	stopEngines()
	for _, dir := range []string{realDir, chirpDir, matrixDir} {
		if dir != "" {
			os.RemoveAll(filepath.Dir(dir))
		}
	}
	if tcDir != "" {
		os.RemoveAll(tcDir)
	}
	os.Exit(code)
}

// realServer serves the real-audio library over a loopback listener and
// records the Range headers of stream requests.
type realServer struct {
	*httptest.Server
	lib *player.Library

	mu     sync.Mutex
	ranges []string
}

func newRealServer(t testing.TB) *realServer {
	t.Helper()
	src, err := player.OpenFolder(realLibraryDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	rep, err := lib.Scan(context.Background(), src)
	if err != nil || rep.Tracks != len(realTracks) || len(rep.Skipped) != 0 {
		t.Fatalf("Scan = %+v, %v; want %d tracks", rep, err, len(realTracks))
	}
	rs := &realServer{lib: lib}
	h := New(lib, Options{}).Handler()
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("Range"); v != "" {
			rs.mu.Lock()
			rs.ranges = append(rs.ranges, v)
			rs.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rs.Close)
	return rs
}

// trackByPath returns the library's track for a fixture path.
func (rs *realServer) trackByPath(t testing.TB, p string) player.Track {
	t.Helper()
	tr, err := rs.lib.Track(player.TrackID(filepath.ToSlash(p)))
	if err != nil {
		t.Fatalf("no track for %s: %v", p, err)
	}
	return tr
}

// rangesSeen returns the Range headers received so far.
func (rs *realServer) rangesSeen() []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]string(nil), rs.ranges...)
}
