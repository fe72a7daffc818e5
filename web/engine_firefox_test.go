package web

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Firefox ESR runs the browser tests through web/e2e/firefox-bridge.mjs, a
// Node program that drives it with puppeteer-core over WebDriver BiDi and
// takes line-delimited JSON commands on stdin. Go starts the bridge rather
// than the tests being written for Node's test runner: there is one harness,
// and the Go tests, their fixtures (real audio made with ffmpeg, the
// httptest server and its library) and their helpers run unchanged in every
// engine. There is no maintained Go WebDriver BiDi client to use instead.

func init() {
	engineRegistry = append(engineRegistry, engine{name: "firefox", open: openFirefox, stop: stopFirefox})
}

// firefoxShared is the test binary's one Firefox (through its bridge),
// started by the first test that opens a Firefox tab and stopped from
// TestMain (stopEngines).
var firefoxShared struct {
	sync.Mutex
	b   *firefoxBridge
	err error
}

// firefoxBridge is a running firefox-bridge.mjs and its Firefox.
type firefoxBridge struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	log   *tailBuffer   // the bridge's and Firefox's stderr, for failures
	done  chan struct{} // closed when the bridge has exited

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bridgeReply
	dead    error // why the bridge ended; nil while it runs
}

// bridgeReply is one answer line of the bridge (see firefox-bridge.mjs).
type bridgeReply struct {
	ID      int    `json:"id"`
	Error   string `json:"error"`
	Ready   bool   `json:"ready"`
	Version string `json:"version"`
	Tab     int    `json:"tab"`
	JSON    string `json:"json"`
	PNG     string `json:"png"`
	present bool   // json key present (a value other than undefined)
}

// firefox returns the shared bridge, starting it (and PulseAudio) on first
// use; a start that failed fails every later test with the same error.
func firefox(t testing.TB) *firefoxBridge {
	t.Helper()
	fs := &firefoxShared
	fs.Lock()
	defer fs.Unlock()
	if fs.b == nil && fs.err == nil {
		fs.b, fs.err = startFirefox(pulseServer(t))
	}
	if fs.err != nil {
		t.Fatalf("firefox: %v", fs.err)
	}
	return fs.b
}

func startFirefox(pulse string) (*firefoxBridge, error) {
	if _, err := os.Stat("e2e/node_modules/puppeteer-core"); err != nil {
		return nil, errors.New("web/e2e/node_modules has no puppeteer-core: run `make deps-test` (npm ci --prefix web/e2e)")
	}
	b := &firefoxBridge{log: &tailBuffer{max: 8 << 10}, pending: map[int]chan bridgeReply{}, done: make(chan struct{})}
	b.cmd = exec.Command("node", "e2e/firefox-bridge.mjs")
	b.cmd.Env = append(os.Environ(), "PULSE_SERVER="+pulse)
	b.cmd.Stderr = b.log
	b.cmd.SysProcAttr = childProcAttr()
	stdout, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if b.stdin, err = b.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start node: %w", err)
	}
	ready := make(chan bridgeReply, 1)
	go b.read(stdout, ready)
	select {
	case r, ok := <-ready:
		if ok && r.Ready {
			return b, nil
		}
		b.cmd.Process.Kill()
		return nil, fmt.Errorf("bridge did not start: %s; stderr: %s", r.Error, b.log)
	case <-time.After(90 * time.Second):
		b.cmd.Process.Kill()
		return nil, fmt.Errorf("bridge not ready after 90 s; stderr: %s", b.log)
	}
}

// read dispatches the bridge's answer lines to their callers until stdout
// ends; the first line goes to ready.
func (b *firefoxBridge) read(stdout io.Reader, ready chan<- bridgeReply) {
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20) // screenshots are one long line
	first := true
	for sc.Scan() {
		var r bridgeReply
		var keys map[string]json.RawMessage
		if json.Unmarshal(sc.Bytes(), &r) != nil || json.Unmarshal(sc.Bytes(), &keys) != nil {
			continue
		}
		_, r.present = keys["json"]
		if first {
			first = false
			ready <- r
			continue
		}
		b.mu.Lock()
		ch := b.pending[r.ID]
		delete(b.pending, r.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
	close(ready)
	err := b.cmd.Wait()
	b.mu.Lock()
	b.dead = fmt.Errorf("firefox bridge ended (%v); stderr: %s", err, b.log)
	for id, ch := range b.pending {
		ch <- bridgeReply{ID: id, Error: b.dead.Error()}
		delete(b.pending, id)
	}
	b.mu.Unlock()
	close(b.done)
}

// call sends one command and waits up to d for its answer.
func (b *firefoxBridge) call(cmd map[string]any, d time.Duration) (bridgeReply, error) {
	b.mu.Lock()
	if b.dead != nil {
		b.mu.Unlock()
		return bridgeReply{}, b.dead
	}
	b.nextID++
	id := b.nextID
	ch := make(chan bridgeReply, 1)
	b.pending[id] = ch
	cmd["id"] = id
	line, _ := json.Marshal(cmd)
	_, err := b.stdin.Write(append(line, '\n'))
	b.mu.Unlock()
	if err != nil {
		return bridgeReply{}, fmt.Errorf("firefox bridge: write: %w", err)
	}
	select {
	case r := <-ch:
		if r.Error != "" {
			return r, errors.New(r.Error)
		}
		return r, nil
	case <-time.After(d):
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return bridgeReply{}, fmt.Errorf("firefox bridge: no answer to %v in %s", cmd["cmd"], d)
	}
}

// stopFirefox quits the shared Firefox, if it was started.
func stopFirefox() {
	fs := &firefoxShared
	fs.Lock()
	defer fs.Unlock()
	if fs.b == nil {
		return
	}
	if _, err := fs.b.call(map[string]any{"cmd": "quit"}, 20*time.Second); err != nil {
		fs.b.cmd.Process.Kill()
	}
	fs.b.stdin.Close()
	select {
	case <-fs.b.done:
	case <-time.After(20 * time.Second):
		fs.b.cmd.Process.Kill()
	}
	fs.b = nil
}

// firefoxTab is a page in its own browser context (own cookies, storage
// and service workers) of the shared Firefox.
type firefoxTab struct {
	b   *firefoxBridge
	tab int
}

func openFirefox(t testing.TB, url string, vp viewport) tab {
	t.Helper()
	b := firefox(t)
	r, err := b.call(map[string]any{"cmd": "open", "url": url, "w": vp.w, "h": vp.h, "phone": vp.phone}, 60*time.Second)
	if err != nil {
		t.Fatalf("firefox: open %s: %v", url, err)
	}
	t.Cleanup(func() { b.call(map[string]any{"cmd": "close", "tab": r.Tab}, 20*time.Second) })
	return firefoxTab{b, r.Tab}
}

func (f firefoxTab) Eval(expr string, out any) error {
	r, err := f.b.call(map[string]any{"cmd": "eval", "tab": f.tab, "expr": expr}, 60*time.Second)
	if err != nil {
		return err
	}
	if out == nil || !r.present {
		return nil
	}
	return json.Unmarshal([]byte(r.JSON), out)
}

func (f firefoxTab) Screenshot() ([]byte, error) {
	r, err := f.b.call(map[string]any{"cmd": "screenshot", "tab": f.tab}, 60*time.Second)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.PNG)
}

// tailBuffer keeps the last max bytes written to it (a helper process's
// stderr), safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b = append(w.b, p...)
	if len(w.b) > w.max {
		w.b = w.b[len(w.b)-w.max:]
	}
	return len(p), nil
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(string(w.b))
}
