package main

import (
	"bufio"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// binary is the earshot command built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "earshot-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "earshot")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("go build: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// servingLine is what headless mode prints once its first scan is done.
var servingLine = regexp.MustCompile(`^Earshot serving (\d+) tracks from (.+) at (http://\S+)$`)

// headless is a running `earshot -headless` process.
type headless struct {
	cmd    *exec.Cmd
	url    string
	tracks string
	from   string
	lines  <-chan string // what it prints after the serving line
}

// startHeadless runs earshot -headless with args on a free loopback port
// and waits (up to a minute) for its serving line.
func startHeadless(t *testing.T, env []string, args ...string) *headless {
	t.Helper()
	base := []string{"-headless", "-listen", "127.0.0.1:0", "-key-file", filepath.Join(t.TempDir(), "key"), "-index", filepath.Join(t.TempDir(), "library.db")}
	cmd := exec.Command(binary, append(base, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		m := servingLine.FindStringSubmatch(line)
		if !ok || m == nil {
			t.Fatalf("first line %q, want %v", line, servingLine)
		}
		return &headless{cmd: cmd, tracks: m[1], from: m[2], url: m[3], lines: lines}
	case <-time.After(time.Minute):
		t.Fatal("no serving line within a minute")
	}
	return nil
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// TestHeadlessServesARealLibrary serves one file of every supported format
// plus broken ones, and checks tags and durations against ffprobe, that the
// broken files did not stop the scan, and a clean exit on SIGINT within 2 s
// while a stream is open.
func TestHeadlessServesARealLibrary(t *testing.T) {
	dir := t.TempDir()
	type fixture struct {
		spec  playertest.Spec
		exact bool // compare with the decoded length: ffprobe only estimates this one
	}
	fixtures := []fixture{
		{spec: playertest.Spec{Path: "Ann/One/01 cbr.mp3", Kind: playertest.MP3CBR}},
		{spec: playertest.Spec{Path: "Ann/One/02 vbr.mp3", Kind: playertest.MP3VBR}},
		{spec: playertest.Spec{Path: "Ann/One/03 noxing.mp3", Kind: playertest.MP3VBRNoXing}, exact: true},
		{spec: playertest.Spec{Path: "Ann/Two/04 lossless.flac", Kind: playertest.FLAC}},
		{spec: playertest.Spec{Path: "Ann/Two/05 vorbis.ogg", Kind: playertest.Vorbis}},
		{spec: playertest.Spec{Path: "Bob/Three/06 opus.opus", Kind: playertest.Opus}},
		{spec: playertest.Spec{Path: "Bob/Three/07 aac.m4a", Kind: playertest.AAC}},
		{spec: playertest.Spec{Path: "Bob/Three/08 alac.m4a", Kind: playertest.ALAC}},
		{spec: playertest.Spec{Path: "Bob/Three/09 pcm.wav", Kind: playertest.WAVE}},
	}
	var specs []playertest.Spec
	for i, f := range fixtures {
		f.spec.Seconds = 20 + float64(i)
		artist, album, _ := strings.Cut(filepath.Dir(f.spec.Path), "/")
		f.spec.Tags = map[string]string{"title": "Title " + f.spec.Path, "artist": artist, "album": album, "track": string(rune('1' + i))}
		specs = append(specs, f.spec)
		fixtures[i] = f
	}
	playertest.Generate(t, dir, specs...)
	os.WriteFile(filepath.Join(dir, "Ann", "corrupt.mp3"), []byte(strings.Repeat("not audio ", 500)), 0o644)
	flac, _ := os.ReadFile(filepath.Join(dir, "Ann/Two/04 lossless.flac"))
	os.WriteFile(filepath.Join(dir, "Ann", "truncated.flac"), flac[:30], 0o644)

	h := startHeadless(t, nil, "-library", dir)
	if h.tracks != "9" || h.from != dir {
		t.Errorf("serving %s tracks from %s, want 9 from %s", h.tracks, h.from, dir)
	}
	var body struct{ Tracks []player.Track }
	getJSON(t, h.url+"/api/tracks", &body)
	byPath := map[string]player.Track{}
	for _, tr := range body.Tracks {
		byPath[tr.Path] = tr
	}
	for i, f := range fixtures {
		tr, ok := byPath[f.spec.Path]
		if !ok {
			t.Errorf("%s not served", f.spec.Path)
			continue
		}
		file := filepath.Join(dir, f.spec.Path)
		want := playertest.Probe(t, file)
		if f.exact {
			want = playertest.DecodedDuration(t, file)
		}
		if math.Abs(tr.Duration-want) > 0.05 {
			t.Errorf("%s: duration %.3f s, ffprobe %.3f s", f.spec.Path, tr.Duration, want)
		}
		artist, album, _ := strings.Cut(filepath.Dir(f.spec.Path), "/")
		if tr.Title != f.spec.Tags["title"] || tr.Artist != artist || tr.Album != album || tr.TrackNumber != i+1 {
			t.Errorf("%s: tags %q/%q/%q #%d, want %q/%q/%q #%d", f.spec.Path, tr.Title, tr.Artist, tr.Album, tr.TrackNumber,
				f.spec.Tags["title"], artist, album, i+1)
		}
	}

	// A stream left open must not hold up the shutdown.
	resp, err := http.Get(h.url + "/api/tracks/" + byPath[fixtures[3].spec.Path].ID + "/stream")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("open stream: %v %v", err, resp)
	}
	defer resp.Body.Close()
	start := time.Now()
	h.cmd.Process.Signal(syscall.SIGINT)
	exited := make(chan error, 1)
	go func() { exited <- h.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGINT: %v", err)
		}
		t.Logf("exited %v after SIGINT with a stream open", time.Since(start).Round(time.Millisecond))
	case <-time.After(2 * time.Second):
		t.Fatal("still running 2 s after SIGINT")
	}
}

// TestHeadlessDefaultsToDemoLibrary runs with no -library and an empty home:
// there is no Music folder, so the bundled demo library is served.
func TestHeadlessDefaultsToDemoLibrary(t *testing.T) {
	home := t.TempDir()
	h := startHeadless(t, []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")})
	if h.from != "Demo library" || h.tracks == "0" {
		t.Fatalf("serving %s tracks from %q, want the demo library", h.tracks, h.from)
	}
	var body struct{ Tracks []player.Track }
	getJSON(t, h.url+"/api/tracks", &body)
	for _, tr := range body.Tracks {
		if tr.Duration <= 0 || tr.Artist == player.UnknownArtist {
			t.Errorf("demo track %+v lacks tags or duration", tr)
		}
	}
	h.cmd.Process.Signal(syscall.SIGTERM)
	if err := h.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}

func TestVersionFlag(t *testing.T) {
	out, err := exec.Command(binary, "-version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "earshot "+version {
		t.Errorf("earshot -version = %q, %v; want %q", out, err, "earshot "+version)
	}
}

// TestBadLibraryFolder: a missing folder is a clear error, not a crash.
func TestBadLibraryFolder(t *testing.T) {
	out, err := exec.Command(binary, "-headless", "-listen", "127.0.0.1:0", "-library", filepath.Join(t.TempDir(), "nope")).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "open library folder") {
		t.Errorf("earshot -library missing = %q, %v; want exit 1 naming the folder", out, err)
	}
}

// TestHeadlessPairing listens on all interfaces (mDNS off: tests send no
// multicast) and checks the pairing link and QR code printed after the
// serving line, and that the access key persists in -key-file.
func TestHeadlessPairing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.wav"), playertest.WAV(16000), 0o644)
	keyFile := filepath.Join(t.TempDir(), "conf", "key")
	var keys []string
	for run := range 2 {
		h := startHeadless(t, nil, "-listen", ":0", "-mdns=false", "-key-file", keyFile, "-library", dir)
		info, err := os.Stat(keyFile)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v, mode %v; want 0600", err, info)
		}
		data, _ := os.ReadFile(keyFile)
		key := strings.TrimSpace(string(data))
		keys = append(keys, key)
		pair := <-h.lines
		if !strings.HasPrefix(pair, "Pair a phone") || !strings.HasSuffix(pair, "/pair?key="+key) {
			t.Errorf("run %d: pairing line %q does not end with the key from %s", run, pair, keyFile)
		}
		if qr := <-h.lines; !strings.ContainsAny(qr, "█▀▄") {
			t.Errorf("run %d: no QR code after the pairing line: %q", run, qr)
		}
		h.cmd.Process.Signal(syscall.SIGINT)
		h.cmd.Wait()
	}
	if keys[0] != keys[1] || len(keys[0]) < 22 {
		t.Errorf("keys of two runs %q, %q: want the same key of ≥ 128 bits", keys[0], keys[1])
	}
}

// TestHeadlessNoLAN: -no-lan serves loopback only, whatever -listen says.
func TestHeadlessNoLAN(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.wav"), playertest.WAV(16000), 0o644)
	h := startHeadless(t, nil, "-listen", ":0", "-no-lan", "-key-file", filepath.Join(t.TempDir(), "key"), "-library", dir)
	if !strings.HasPrefix(h.url, "http://127.0.0.1:") {
		t.Errorf("-no-lan serves at %s, want loopback only", h.url)
	}
}

// TestHeadlessUploadsFromLAN: without -uploads-from-lan another device
// may not upload (GET /api/status through the LAN address, which the
// server sees as another device, says so); with it, it may. This
// computer always may.
func TestHeadlessUploadsFromLAN(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.wav"), playertest.WAV(16000), 0o644)
	for _, tc := range []struct {
		args []string
		lan  bool
	}{{nil, false}, {[]string{"-uploads-from-lan"}, true}, {[]string{"-uploads-from-lan=false"}, false}} {
		keyFile := filepath.Join(t.TempDir(), "key")
		h := startHeadless(t, nil, append([]string{"-listen", ":0", "-mdns=false", "-key-file", keyFile, "-library", dir}, tc.args...)...)
		if strings.Contains(h.url, "127.0.0.1") {
			t.Fatalf("serving at %s: this machine has no LAN address to ask from", h.url)
		}
		key, err := os.ReadFile(keyFile)
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := strings.Cut(strings.TrimPrefix(h.url, "http://"), ":")
		for _, asker := range []struct {
			url  string
			want bool
		}{{h.url, tc.lan}, {"http://127.0.0.1:" + port, true}} {
			req, _ := http.NewRequest("GET", asker.url+"/api/status", nil)
			req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(key)))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var st struct {
				Uploads struct {
					Allowed bool  `json:"allowed"`
					MaxSize int64 `json:"maxSize"`
				} `json:"uploads"`
			}
			err = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("earshot %v: GET %s/api/status: %s, %v", tc.args, asker.url, resp.Status, err)
			}
			if st.Uploads.Allowed != asker.want || st.Uploads.MaxSize <= 0 {
				t.Errorf("earshot %v: %s/api/status uploads = %+v, want allowed %v", tc.args, asker.url, st.Uploads, asker.want)
			}
		}
		h.cmd.Process.Signal(syscall.SIGINT)
		h.cmd.Wait()
	}
}

// TestLocaleQuiet runs -version and a headless start (with a missing
// folder, so it exits at once) under the C locales servers and containers
// use: nothing about Fyne or locales may reach the output.
func TestLocaleQuiet(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	for _, lang := range []string{"C.UTF-8", "C", "POSIX", "C.utf8"} {
		for _, args := range [][]string{{"-version"}, {"-headless", "-listen", "127.0.0.1:0", "-library", missing}} {
			cmd := exec.Command(binary, args...)
			cmd.Env = append(os.Environ(), "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
			out, _ := cmd.CombinedOutput()
			if strings.Contains(string(out), "Fyne") || strings.Contains(string(out), "locale") {
				t.Errorf("LANG=%s earshot %v printed %q", lang, args, out)
			}
		}
	}
}
