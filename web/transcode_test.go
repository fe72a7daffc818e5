package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
	"earshot/transcode"
)

// tcTracks are the fixtures of the transcoding tests: one per codec the
// decisions tell apart.
var tcTracks = []playertest.Spec{
	{Path: "A/01 alac.m4a", Kind: playertest.ALAC, Seconds: 40},
	{Path: "A/02 aac.m4a", Kind: playertest.AAC, Seconds: 5},
	{Path: "A/03 vorbis.ogg", Kind: playertest.Vorbis, Seconds: 5},
	{Path: "A/04 opus.opus", Kind: playertest.Opus, Seconds: 5},
	{Path: "A/05 mp3.mp3", Kind: playertest.MP3CBR, Seconds: 5},
	{Path: "A/06 wma.wma", Kind: playertest.WMA, Seconds: 5},
	{Path: "A/07 flac.flac", Kind: playertest.FLAC, Seconds: 5},
}

var (
	tcOnce sync.Once
	tcDir  string
)

// tcLibraryDir generates the transcoding fixtures once per test binary.
func tcLibraryDir(t testing.TB) string {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	tcOnce.Do(func() {
		dir, err := os.MkdirTemp("", "earshot-tc-")
		if err != nil {
			t.Fatal(err)
		}
		playertest.Generate(t, dir, tcTracks...)
		tcDir = dir
	})
	if tcDir == "" {
		t.Fatal("transcoding fixtures could not be generated (see the first failure)")
	}
	return tcDir
}

// tcServer is a server of the transcoding fixtures and its library.
func tcServer(t testing.TB, opts Options) (*Server, *player.Library) {
	t.Helper()
	src, err := player.OpenFolder(tcLibraryDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != len(tcTracks) {
		t.Fatalf("Scan = %+v, %v; want %d tracks", rep, err, len(tcTracks))
	}
	return New(lib, opts), lib
}

func tcID(p string) string { return player.TrackID(p) }

// chromiumCaps is what Debian's Chromium decodes (no ALAC, no AIFF).
const chromiumCaps = "aac.adts.flac.mp3.opus.vorbis.wav.webm-opus.webm-vorbis"

func TestPlayDecisions(t *testing.T) {
	s, _ := tcServer(t, Options{})
	h := s.Handler()
	safari := "aac.adts.aiff.alac.flac.mp3.wav"
	cases := []struct {
		path, caps string
		transcoded bool
		reason     string
	}{
		// Data saver: lossless (and WMA, which Chromium lacks) → MP3; a
		// 128 kbit/s MP3 or AAC stays as it is.
		{"A/01 alac.m4a", chromiumCaps + "&q=saver", true, "data saver: ALAC → MP3 128 kbit/s"},
		{"A/07 flac.flac", chromiumCaps + "&q=saver", true, "data saver: FLAC → MP3 128 kbit/s"},
		{"A/06 wma.wma", chromiumCaps + "&q=saver", true, "data saver: WMA → MP3 128 kbit/s"},
		{"A/05 mp3.mp3", chromiumCaps + "&q=saver", false, "direct play"},
		{"A/02 aac.m4a", chromiumCaps + "&q=saver", false, "direct play"},
		{"A/07 flac.flac", chromiumCaps + "&q=original", false, "direct play"},
		{"A/07 flac.flac", "aac.mp3&q=saver", true, "data saver: FLAC → MP3 128 kbit/s"},
		{"A/07 flac.flac", "aac.wav&q=saver", true, "transcoded FLAC → WAV"}, // no MP3 decoder: WAV
		{"A/01 alac.m4a", chromiumCaps, true, "transcoded ALAC → WAV"},
		{"A/02 aac.m4a", chromiumCaps, false, "direct play"},
		{"A/03 vorbis.ogg", chromiumCaps, false, "direct play"},
		{"A/06 wma.wma", chromiumCaps, true, "transcoded WMA → WAV"},
		{"A/01 alac.m4a", safari, false, "direct play"},
		{"A/03 vorbis.ogg", safari, true, "transcoded Ogg Vorbis → WAV"},
		{"A/04 opus.opus", safari, true, "transcoded Opus → WAV"},
		{"A/05 mp3.mp3", safari, false, "direct play"},
		{"A/01 alac.m4a", "", false, "direct play"}, // unknown caps: as before
		{"A/05 mp3.mp3", "none", true, "transcoded MP3 → WAV"},
	}
	for _, c := range cases {
		rec := do(h, "GET", "/api/tracks/"+tcID(c.path)+"/play?caps="+c.caps, nil)
		var a playAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || rec.Code != 200 {
			t.Fatalf("play %s: %d %s", c.path, rec.Code, rec.Body)
		}
		wantURL := "/api/tracks/" + tcID(c.path) + "/stream"
		switch {
		case strings.HasSuffix(c.reason, "→ WAV"):
			wantURL += ".wav"
		case strings.HasSuffix(c.reason, "→ MP3 128 kbit/s"):
			wantURL += ".mp3"
		}
		if a.Transcode != c.transcoded || a.Reason != c.reason || a.URL != wantURL {
			t.Errorf("%s with caps %q: %+v; want transcoded %v, %q, %s", c.path, c.caps, a, c.transcoded, c.reason, wantURL)
		}
	}

	// Posted caps are kept for the device and used without ?caps=.
	req := httptest.NewRequest("POST", "/api/device/caps", strings.NewReader(`{"codecs":["mp3","vorbis","bogus","aac"]}`))
	req.RemoteAddr, req.Host = "127.0.0.1:5000", "127.0.0.1:8780"
	req.Header.Set("Origin", "http://127.0.0.1:8780")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"caps":"aac.mp3.vorbis"`) {
		t.Fatalf("POST caps: %d %s", rec.Code, rec.Body)
	}
	rec = do(h, "GET", "/api/tracks/"+tcID("A/04 opus.opus")+"/play", nil)
	if !strings.Contains(rec.Body.String(), `"reason":"transcoded Opus → WAV"`) {
		t.Errorf("play after posting caps without Opus: %s", rec.Body)
	}
}

// TestTranscodedStreamRanges runs the Range vectors of the original files
// on the WAV and the data-saver MP3 transcodes of an ALAC file: the same
// statuses, headers and bytes, the bytes of each part being those of the
// whole answer.
func TestTranscodedStreamRanges(t *testing.T) {
	s, lib := tcServer(t, Options{})
	tr, _ := lib.Track(tcID("A/01 alac.m4a"))
	for _, c := range []struct {
		ext, mime, query string
		size             int
	}{
		{".wav", "audio/wav", "?caps=" + chromiumCaps, 44 + int(tr.Duration*44100+0.5)*4},
		{".mp3", "audio/mpeg", "?caps=" + chromiumCaps + "&q=saver", int(transcode.MP3Layout(tr.Duration).Size())},
	} {
		t.Run(c.ext[1:], func(t *testing.T) { testTranscodeRanges(t, s, tr, c.ext, c.mime, c.query, c.size) })
	}
}

// testTranscodeRanges checks the stream.ext transcode of tr (of size
// bytes and type mime), which /stream+query also gives.
func testTranscodeRanges(t *testing.T, s *Server, tr player.Track, ext, mime, query string, size int) {
	h := s.Handler()
	url := "/api/tracks/" + tr.ID + "/stream" + ext
	first := do(h, "GET", url, nil)
	data := first.Body.Bytes()
	etag, lastModified := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if first.Code != 200 || etag == "" || strings.HasPrefix(etag, "W/") || lastModified == "" {
		t.Fatalf("GET %s: %d, ETag %q, Last-Modified %q", url, first.Code, etag, lastModified)
	}
	if len(data) != size || first.Header().Get("Content-Length") != strconv.Itoa(size) {
		t.Fatalf("%s of %.3f s: %d bytes, Content-Length %s; want %d", ext, tr.Duration, len(data), first.Header().Get("Content-Length"), size)
	}
	// The same URL with the caps (and quality) that decide for it: the same entity.
	viaCaps := do(h, "HEAD", "/api/tracks/"+tr.ID+"/stream"+query, nil)
	if viaCaps.Header().Get("ETag") != etag || viaCaps.Header().Get("Content-Type") != mime {
		t.Errorf("/stream%s: ETag %q, type %q; want the transcode's", query, viaCaps.Header().Get("ETag"), viaCaps.Header().Get("Content-Type"))
	}
	n := len(data)
	for _, tc := range rangeCases(n, etag, lastModified) {
		t.Run(tc.name, func(t *testing.T) {
			method := cmpOr(tc.method, "GET")
			rec := do(h, method, url, tc.header)
			if rec.Code != tc.code {
				t.Fatalf("%s Range %q: status %d, want %d (body %.80q)", method, tc.header.Values("Range"), rec.Code, tc.code, rec.Body)
			}
			switch tc.code {
			case 200:
				checkHeaders(t, rec.Header(), mime, etag)
				if method == "GET" && !bytes.Equal(rec.Body.Bytes(), data) {
					t.Errorf("body differs from the first answer (%d bytes, want %d)", rec.Body.Len(), n)
				}
			case 206:
				checkHeaders(t, rec.Header(), "", etag)
				checkParts(t, rec.Header(), rec.Body.Bytes(), data, mime, tc.ranges, method == "HEAD")
			case 416:
				if got := rec.Header().Get("Content-Range"); got != tc.cr {
					t.Errorf("Content-Range = %q, want %q", got, tc.cr)
				}
			}
		})
	}
	if n := s.tc.Running(); n != 0 {
		t.Errorf("%d ffmpeg still running after the requests", n)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ffmpegChildren returns the PIDs of this process's children named
// ffmpeg, zombies included, from /proc.
func ffmpegChildren(t *testing.T) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 || !bytes.Contains(stat[:i], []byte("(ffmpeg")) {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(os.Getpid()) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestTranscodeAbortedRequests sends 200 range requests to a transcoded
// stream over real connections and drops each after its first bytes:
// every ffmpeg must then be gone (killed and reaped, no zombie), each
// within a second, and no more than MaxTranscodes ran at once.
func TestTranscodeAbortedRequests(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc")
	}
	s, lib := tcServer(t, Options{MaxTranscodes: 2})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	tr, _ := lib.Track(tcID("A/01 alac.m4a"))
	url := srv.URL + "/api/tracks/" + tr.ID + "/stream.wav"
	size := int64(44 + int(tr.Duration*44100+0.5)*4)
	peak := 0
	for i := range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", 44+(int64(i)*7919*4)%(size-44)))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if _, err := io.ReadFull(resp.Body, make([]byte, 4096)); err != nil || resp.StatusCode != 206 {
			t.Fatalf("request %d: %d, %v", i, resp.StatusCode, err)
		}
		peak = max(peak, len(ffmpegChildren(t)))
		cancel()
		resp.Body.Close()
	}
	if peak > 2 {
		t.Errorf("%d ffmpeg ran at once, want ≤ MaxTranscodes 2", peak)
	}
	// The last request's ffmpeg is gone within a second; all are.
	deadline := time.Now().Add(time.Second)
	for len(ffmpegChildren(t)) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if pids := ffmpegChildren(t); len(pids) > 0 {
		t.Errorf("ffmpeg children (or zombies) left 1 s after the last abort: %v", pids)
	}
	if n := s.tc.Running(); n != 0 {
		t.Errorf("transcoder counts %d running", n)
	}
}

// TestFFmpegSeeksIntoTranscode has ffmpeg, a real HTTP client, decode the
// transcoded stream from 30 s on: it seeks with a Range request and gets
// audio back from there.
func TestFFmpegSeeksIntoTranscode(t *testing.T) {
	s, lib := tcServer(t, Options{})
	var ranges []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range"))
		mu.Unlock()
		s.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	tr, _ := lib.Track(tcID("A/01 alac.m4a"))
	// The MP3's stated length is whole frames, one more than the audio
	// fills, and LAME's delay (23 ms) comes first: up to 72 ms more.
	for _, c := range []struct {
		ext   string
		extra float64
	}{{".wav", 0}, {".mp3", 0.072}} {
		mu.Lock()
		ranges = nil
		mu.Unlock()
		url := srv.URL + "/api/tracks/" + tr.ID + "/stream" + c.ext
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-ss", "30", "-i", url, "-ac", "2", "-ar", "44100", "-f", "s16le", "-")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			mu.Lock()
			t.Fatalf("ffmpeg -ss 30 -i %s: %v\n%s\nranges %q", url, err, stderr.Bytes(), ranges)
		}
		// 40 s from 30 s: 10 s of stereo 16-bit audio.
		if got := float64(len(out)) / (44100 * 4); got < tr.Duration-30-0.05 || got > tr.Duration-30+c.extra+0.05 {
			t.Errorf("%s: ffmpeg decoded %.3f s from 30 s on, want %.3f s", c.ext, got, tr.Duration-30)
		}
		mu.Lock()
		seen := slices.Clone(ranges)
		mu.Unlock()
		if !slices.ContainsFunc(seen, func(r string) bool { return strings.HasPrefix(r, "bytes=") && !strings.HasPrefix(r, "bytes=0-") }) {
			t.Errorf("%s: ffmpeg sent no Range request past byte 0: %q", c.ext, seen)
		}
		if d := probeURL(t, url); d < tr.Duration-0.001 || d > tr.Duration+c.extra+0.001 {
			t.Errorf("%s: ffprobe of the transcode: %.4f s, library %.4f s", c.ext, d, tr.Duration)
		}
	}
}

// TestPlayDecisionsWithoutFFmpeg serves the transcoding fixtures from a
// library and server that have no ffmpeg: what a device decodes still
// goes as it is; an ALAC file on a device without ALAC (read from the
// file's boxes, as ffprobe is missing too) is "needs ffmpeg to play ALAC
// here", its bytes sent as they are for the page to fail on and say so;
// the WMA file, which only ffmpeg reads, likewise; a transcode URL
// answers 503 "needs ffmpeg".
func TestPlayDecisionsWithoutFFmpeg(t *testing.T) {
	src, err := player.OpenFolder(tcLibraryDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{Tools: &probe.Tools{}})
	if rep, err := lib.Scan(context.Background(), src); err != nil || rep.Tracks != len(tcTracks) {
		t.Fatalf("Scan = %+v, %v; want %d tracks", rep, err, len(tcTracks))
	}
	h := New(lib, Options{}).Handler()
	for _, c := range []struct{ path, reason string }{
		{"A/01 alac.m4a", "needs ffmpeg to play ALAC here"},
		{"A/02 aac.m4a", "direct play"},
		{"A/03 vorbis.ogg", "direct play"},
		{"A/06 wma.wma", "needs ffmpeg to play WMA here"},
		{"A/07 flac.flac", "direct play"},
	} {
		rec := do(h, "GET", "/api/tracks/"+tcID(c.path)+"/play?caps="+chromiumCaps, nil)
		var a playAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || rec.Code != 200 {
			t.Fatalf("play %s: %d %s", c.path, rec.Code, rec.Body)
		}
		if a.Transcode || a.Reason != c.reason || a.URL != "/api/tracks/"+tcID(c.path)+"/stream" {
			t.Errorf("%s without ffmpeg: %+v; want %q, the original stream", c.path, a, c.reason)
		}
		tr, _ := lib.Track(tcID(c.path))
		rec = do(h, "GET", "/api/tracks/"+tcID(c.path)+"/stream?caps="+chromiumCaps, nil)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tr.MIMEType || int64(rec.Body.Len()) != tr.Size {
			t.Errorf("%s stream without ffmpeg: %d %s, %d bytes; want 200 %s, the file's %d bytes", c.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len(), tr.MIMEType, tr.Size)
		}
	}
	rec := do(h, "GET", "/api/tracks/"+tcID("A/01 alac.m4a")+"/stream.wav", nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "needs ffmpeg") {
		t.Errorf("stream.wav without ffmpeg: %d %s; want 503 needs ffmpeg", rec.Code, rec.Body)
	}
}
