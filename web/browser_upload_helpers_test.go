package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// uploadLibrary is a library folder being watched (player.Library.Use),
// as the app runs it, so that an uploaded file reaches every page through
// the watch and /api/events. It holds a few short songs so the page is
// not empty.
type uploadLibrary struct {
	dir string
	lib *player.Library
}

// newUploadLibrary makes the library in a new temporary folder and waits
// for its first scan.
func newUploadLibrary(t *testing.T) *uploadLibrary {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	var specs []playertest.Spec
	for i, title := range []string{"Morning Song", "Second Song", "Radio Song"} {
		specs = append(specs, playertest.Spec{Path: fmt.Sprintf("Ada Lyon/Porch Light/%d %s.mp3", i+1, title), Kind: playertest.MP3CBR,
			Seconds: 5, Cover: true, Tags: map[string]string{"title": title, "artist": "Ada Lyon", "album": "Porch Light", "track": strconv.Itoa(i + 1)}})
	}
	playertest.Generate(t, dir, specs...)
	lib := watchedLibrary(t, dir)
	return &uploadLibrary{dir: dir, lib: lib}
}

// patchSeen is one PATCH the server received: the upload's path and the
// Upload-Offset it started from.
type patchSeen struct {
	path   string
	offset int64
}

// uploadRecorder wraps the server's handler: it records every PATCH to
// /api/uploads/… and counts the body bytes the server read per upload.
// When gateAt > 0, the read that takes one upload past gateAt bytes
// signals gated and waits for release (the test acts meanwhile: cuts the
// link, reloads the page, takes a screenshot).
type uploadRecorder struct {
	h      http.Handler
	gateAt int64

	mu sync.Mutex
	// loseDone drops the answer of the next PATCH that completes an upload
	// (its 200): the connection closes instead, as when a phone's Wi-Fi
	// drops just then.
	loseDone bool
	lost     int
	patches  []patchSeen
	received map[string]int64
	gated    chan struct{}
	release  chan struct{}
	passed   bool
}

// newUploadRecorder wraps h; gateAt is in bytes, 0 for no gate.
func newUploadRecorder(h http.Handler, gateAt int64) *uploadRecorder {
	return &uploadRecorder{h: h, gateAt: gateAt, received: map[string]int64{}, gated: make(chan struct{}), release: make(chan struct{})}
}

// ServeHTTP records a PATCH and counts its body, then serves it with h.
func (r *uploadRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method == http.MethodPatch && strings.HasPrefix(req.URL.Path, "/api/uploads/") {
		off, _ := strconv.ParseInt(req.Header.Get("Upload-Offset"), 10, 64)
		r.mu.Lock()
		r.patches = append(r.patches, patchSeen{req.URL.Path, off})
		r.mu.Unlock()
		req.Body = &countingBody{ReadCloser: req.Body, r: r, path: req.URL.Path}
		r.mu.Lock()
		lose := r.loseDone
		r.mu.Unlock()
		if lose {
			w = &loseOK{ResponseWriter: w, r: r}
		}
	}
	r.h.ServeHTTP(w, req)
}

// loseOK aborts the connection instead of writing a 200 (see
// uploadRecorder.loseDone); other answers pass.
type loseOK struct {
	http.ResponseWriter
	r       *uploadRecorder
	written bool
}

func (l *loseOK) WriteHeader(code int) {
	if code == http.StatusOK && !l.written {
		l.r.mu.Lock()
		l.r.loseDone = false
		l.r.lost++
		l.r.mu.Unlock()
		panic(http.ErrAbortHandler) // net/http closes the connection, no answer
	}
	l.written = true
	l.ResponseWriter.WriteHeader(code)
}

func (l *loseOK) Write(b []byte) (int, error) {
	if !l.written {
		l.WriteHeader(http.StatusOK)
	}
	return l.ResponseWriter.Write(b)
}

func (l *loseOK) Unwrap() http.ResponseWriter { return l.ResponseWriter }

// open lets a gated read go on.
func (r *uploadRecorder) open() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.passed {
		r.passed = true
		close(r.release)
	}
}

// seen returns the PATCHes so far and the bytes received per upload.
func (r *uploadRecorder) seen() ([]patchSeen, map[string]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := make(map[string]int64, len(r.received))
	for k, v := range r.received {
		got[k] = v
	}
	return append([]patchSeen(nil), r.patches...), got
}

// waitGate waits until an upload passed gateAt, failing t after d.
func (r *uploadRecorder) waitGate(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case <-r.gated:
	case <-time.After(d):
		_, got := r.seen()
		t.Fatalf("no upload reached %d bytes within %v (received %v)", r.gateAt, d, got)
	}
}

// countingBody counts what the server reads of an upload's PATCH body
// into its recorder, holding the read that passes the gate.
type countingBody struct {
	io.ReadCloser
	r    *uploadRecorder
	path string
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	r := b.r
	r.mu.Lock()
	before := r.received[b.path]
	r.received[b.path] = before + int64(n)
	hit := r.gateAt > 0 && before < r.gateAt && before+int64(n) >= r.gateAt
	if hit {
		r.gateAt = 0 // one gate per recorder
		close(r.gated)
	}
	release := r.release
	r.mu.Unlock()
	if hit {
		<-release
	}
	return n, err
}

// noiseFLAC writes a tagged stereo FLAC of white noise (which FLAC cannot
// shrink much: about 170 kB a second) of at least minBytes to dir/name and
// returns its path. The tags place it at "Field Tapes/Noise/01 <title>.flac".
func noiseFLAC(t *testing.T, dir, name, title string, minBytes int64) string {
	t.Helper()
	out := filepath.Join(dir, name)
	secs := minBytes/150000 + 2
	d := strconv.FormatInt(secs, 10)
	cmd := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y",
		"-f", "lavfi", "-i", "anoisesrc=d="+d+":c=white:a=0.4:seed=1",
		"-f", "lavfi", "-i", "anoisesrc=d="+d+":c=white:a=0.4:seed=2",
		"-filter_complex", "[0:a][1:a]amerge=inputs=2", "-ar", "44100", "-sample_fmt", "s16",
		"-metadata", "title="+title, "-metadata", "artist=Field Tapes", "-metadata", "album=Noise", "-metadata", "track=1",
		"-c:a", "flac", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < minBytes {
		t.Fatalf("%s is %d bytes, want at least %d", name, fi.Size(), minBytes)
	}
	t.Logf("%s: %d bytes, %d s of noise", name, fi.Size(), secs)
	return out
}

// sha256File returns the hex SHA-256 of a file's bytes.
func sha256File(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// quietLogger drops the server's request logs (cut connections log errors).
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newBrowserIn is [newBrowser] with Chromium started inside the network
// namespace ns (ip netns exec), so its only network is that namespace's:
// the phone of [newPhoneNet]. chromedp drives it through its pipe
// (--remote-debugging-pipe), which does not go through the network, so
// the test can watch the page while the phone's link is down.
func newBrowserIn(t *testing.T, ns string, timeout time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: not run with -short")
	}
	ipPath, err := exec.LookPath("ip")
	if err != nil {
		t.Fatalf("ip: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.DisableGPU,
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			cmd.Args = append([]string{"ip", "netns", "exec", ns, cmd.Path}, cmd.Args[1:]...)
			cmd.Path = ipPath
			cmd.SysProcAttr = childProcAttr()
		}),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelCtx := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelTimeout() })
	return ctx
}

// Page expressions of the upload tests.
const (
	// jsUploadRows is every row of the uploads panel as {name, state, msg, value}.
	jsUploadRows = `Array.from(document.querySelectorAll('#up-list .up-row')).map(r => ({name: r.querySelector('.t').textContent,
		state: r.dataset.state, msg: r.querySelector('.up-msg').textContent, value: r.querySelector('progress').value}))`
)

// jsRowState is true when the upload row named name is in state.
func jsRowState(name, state string) string {
	return `Array.from(document.querySelectorAll('#up-list .up-row')).some(r => r.querySelector('.t').textContent === ` + strconv.Quote(name) + ` && r.dataset.state === ` + strconv.Quote(state) + `)`
}

// jsRowMsg is the message of the upload row named name ("" when none).
func jsRowMsg(name string) string {
	return `(Array.from(document.querySelectorAll('#up-list .up-row')).find(r => r.querySelector('.t').textContent === ` + strconv.Quote(name) + `)?.querySelector('.up-msg').textContent || '')`
}

// pick sets files on the file input sel, as a person picking them would.
func pick(t *testing.T, ctx context.Context, sel string, files ...string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(sel, files)); err != nil {
		t.Fatalf("pick %v in %s: %v", files, sel, err)
	}
}

// waitUntil polls a page predicate like [until], for up to d.
func waitUntil(t *testing.T, ctx context.Context, d time.Duration, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		rows, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(`+jsUploadRows+`) + ' total: ' + document.getElementById('up-total').textContent`))
		t.Fatalf("waiting %v for %s (%s): %v; uploads: %s", d, what, expr, err, rows)
	}
}

// auditUploads runs [TestBrowserA11y]'s checks ([auditState]: axe-core, no
// control under 44×44 px, no text under 12 px) over the page in ctx, whose
// uploads panel is open, in the light theme and, with dark, then in the
// dark one (the tab stays dark).
func auditUploads(t *testing.T, ctx context.Context, name string, vp viewport, dark bool) {
	t.Helper()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is not installed (run npm ci --prefix web/e2e): %v", err)
	}
	tb := chromiumTab{ctx}
	if got := tabEval[string](t, tb, "(() => {\n"+string(axe)+"\n;return typeof axe.run })()"); got != "function" {
		t.Fatalf("axe did not load: typeof axe.run = %q", got)
	}
	if tabEval[bool](t, tb, `document.getElementById('uploads').hidden`) {
		t.Fatalf("%s: the uploads panel is not open", name)
	}
	auditState(t, tb, name, vp)
	if dark {
		darkTheme(t, tb)
		auditState(t, tb, name+" (dark)", vp)
	}
}
