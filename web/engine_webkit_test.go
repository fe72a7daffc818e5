package web

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// WebKitGTK, the engine family of Safari, runs the browser tests in
// MiniBrowser driven by WebKitWebDriver (W3C WebDriver, classic HTTP:
// https://www.w3.org/TR/webdriver2/) under an Xvfb of our own with two
// screens, 1280×800 and 390×844, so that a phone-sized page also has a
// 390-wide screen. A WebKitWebDriver serves one session at a time, so each
// size has its own driver and MiniBrowser, started by the first test that
// needs it and shared by the rest; a tab is its first window, or a new
// window when a test has two tabs of a size open at once.

func init() {
	engineRegistry = append(engineRegistry, engine{name: "webkit", open: openWebKit, stop: stopWebKit})
}

// webkitShared holds the test binary's Xvfb and its WebKit sessions by
// viewport name, stopped from TestMain (stopEngines).
var webkitShared struct {
	sync.Mutex
	xvfb     *exec.Cmd
	display  string // ":N"
	sessions map[string]*webkitSession
	err      error // Xvfb failed to start
}

// webkitScreens are the Xvfb screens by viewport name: DISPLAY=:N.<screen>.
var webkitScreens = map[string]int{desktopSize.name: 0, phoneSize.name: 1}

// miniBrowser returns the path of WebKitGTK's MiniBrowser, in the library
// folder of whatever architecture this is (Debian's multiarch layout:
// /usr/lib/<triplet>/webkit2gtk-4.1/MiniBrowser).
func miniBrowser() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")
	if len(matches) == 0 {
		matches, _ = filepath.Glob("/usr/lib*/webkit2gtk-4.1/MiniBrowser")
	}
	if len(matches) == 0 {
		return "", errors.New("no /usr/lib/*/webkit2gtk-4.1/MiniBrowser: install webkit2gtk-driver (make deps-test)")
	}
	return matches[0], nil
}

// webkitSession is one WebKitWebDriver with its one session (one
// MiniBrowser). mu serialises commands: the window a command acts on is
// the session's current window, switched to before each tab's command.
type webkitSession struct {
	mu        sync.Mutex
	driver    *exec.Cmd
	log       *tailBuffer
	base      string // http://127.0.0.1:port/session/id
	first     string // the window the session opened with, kept open
	firstBusy bool   // a tab uses the first window
	current   string // the window commands go to now ("": unknown)
	w, h      int
}

// webkit returns the shared session for vp, starting Xvfb, PulseAudio and
// the driver on first use.
func webkit(t testing.TB, vp viewport) *webkitSession {
	t.Helper()
	pulse := pulseServer(t)
	ws := &webkitShared
	ws.Lock()
	defer ws.Unlock()
	if ws.xvfb == nil && ws.err == nil {
		ws.xvfb, ws.display, ws.err = startXvfb()
	}
	if ws.err != nil {
		t.Fatalf("webkit: Xvfb: %v", ws.err)
	}
	if s := ws.sessions[vp.name]; s != nil {
		return s
	}
	s, err := startWebKit(ws.display+"."+strconv.Itoa(webkitScreens[vp.name]), pulse, vp)
	if err != nil {
		t.Fatalf("webkit: %v", err)
	}
	if ws.sessions == nil {
		ws.sessions = map[string]*webkitSession{}
	}
	ws.sessions[vp.name] = s
	return s
}

// startXvfb starts an Xvfb on a free display number (it writes the number
// to -displayfd when it is ready) with the two screens of webkitScreens.
func startXvfb() (*exec.Cmd, string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp",
		"-screen", "0", fmt.Sprintf("%dx%dx24", desktopSize.w, desktopSize.h),
		"-screen", "1", fmt.Sprintf("%dx%dx24", phoneSize.w, phoneSize.h))
	log := &tailBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = childProcAttr()
	err = cmd.Start()
	w.Close()
	if err != nil {
		return nil, "", err
	}
	go cmd.Wait()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n') // Xvfb keeps the pipe open
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if _, err := strconv.Atoi(n); err != nil {
			cmd.Process.Kill()
			return nil, "", fmt.Errorf("no display number (%q): %s", n, log)
		}
		return cmd, ":" + n, nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		return nil, "", fmt.Errorf("not ready after 30 s: %s", log)
	}
}

// startWebKit starts a WebKitWebDriver on a free loopback port and a
// session whose MiniBrowser shows on display (":N.screen"), with autoplay
// allowed, its window the size of vp.
func startWebKit(display, pulse string, vp viewport) (*webkitSession, error) {
	bin, err := miniBrowser()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &webkitSession{log: &tailBuffer{max: 8 << 10}, w: vp.w, h: vp.h}
	s.driver = exec.Command("WebKitWebDriver", "--port="+strconv.Itoa(port))
	s.driver.Env = append(os.Environ(), "DISPLAY="+display, "PULSE_SERVER="+pulse)
	s.driver.Stdout, s.driver.Stderr = s.log, s.log
	s.driver.SysProcAttr = childProcAttr()
	if err := s.driver.Start(); err != nil {
		return nil, fmt.Errorf("start WebKitWebDriver: %w", err)
	}
	go s.driver.Wait()
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	// --full-screen hides MiniBrowser's toolbar; making the window as big
	// as the screen needs a window manager, which Xvfb has not, so the
	// window is sized to the screen through WebDriver (openWebKit).
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "MiniBrowser",
		"webkitgtk:browserOptions": map[string]any{"binary": bin,
			"args": []string{"--automation", "--autoplay-policy=allow", "--full-screen", "--display=" + display}},
	}}}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err = wdDo(http.MethodPost, root+"/session", caps, &created)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // the driver is not listening yet
	}
	if err != nil {
		s.driver.Process.Kill()
		return nil, fmt.Errorf("new session: %v; driver: %s", err, s.log)
	}
	s.base = root + "/session/" + created.SessionID
	if err := wdDo(http.MethodGet, s.base+"/window", nil, &s.first); err != nil {
		s.stop()
		return nil, err
	}
	s.current = s.first
	err = wdDo(http.MethodPost, s.base+"/timeouts", map[string]any{"script": 60000, "pageLoad": 60000}, nil)
	return s, err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// wdDo sends one WebDriver command and decodes the answer's "value" into
// out (nil: ignored). A WebDriver error answer becomes an error naming it.
func wdDo(method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	client := http.Client{Timeout: 90 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var res struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("%s %s: HTTP %d, %v", method, url, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error, Message string }
		json.Unmarshal(res.Value, &e)
		return fmt.Errorf("webdriver %s: %s", e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(res.Value, out)
}

// stop ends the session (and its MiniBrowser) and the driver.
func (s *webkitSession) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	wdDo(http.MethodDelete, s.base, nil, nil)
	s.driver.Process.Kill()
}

// stopWebKit ends the WebKit sessions and Xvfb, if they were started.
func stopWebKit() {
	ws := &webkitShared
	ws.Lock()
	defer ws.Unlock()
	for name, s := range ws.sessions {
		s.stop()
		delete(ws.sessions, name)
	}
	if ws.xvfb != nil {
		ws.xvfb.Process.Kill()
		ws.xvfb = nil
	}
}

// webkitTab is a window of a shared MiniBrowser. The windows of a session
// share its storage; each test's server is an origin of its own (a new
// port), so tests do not see each other's storage.
type webkitTab struct {
	s      *webkitSession
	handle string
}

func openWebKit(t testing.TB, url string, vp viewport) tab {
	t.Helper()
	s := webkit(t, vp)
	s.mu.Lock()
	defer s.mu.Unlock()
	tb := webkitTab{s, s.first}
	if s.firstBusy {
		// A second tab at once: a new window, which has MiniBrowser's
		// toolbar (the first window of an automation session has none), so
		// it is at least 447 px wide and 38 px of its height are the toolbar.
		var w struct{ Handle string }
		if err := wdDo(http.MethodPost, s.base+"/window/new", map[string]any{"type": "window"}, &w); err != nil {
			t.Fatalf("webkit: new window: %v", err)
		}
		tb.handle = w.Handle
	}
	s.firstBusy = true
	t.Cleanup(tb.close)
	err := tb.switchTo()
	if err == nil {
		err = wdDo(http.MethodPost, s.base+"/window/rect", map[string]any{"x": 0, "y": 0, "width": vp.w, "height": vp.h}, nil)
	}
	if err == nil {
		err = wdDo(http.MethodPost, s.base+"/url", map[string]any{"url": url}, nil)
	}
	if err != nil {
		t.Fatalf("webkit: open %s: %v", url, err)
	}
	return tb
}

// switchTo makes the tab's window the one commands go to; s.mu is held.
func (w webkitTab) switchTo() error {
	if w.s.current == w.handle {
		return nil
	}
	if err := wdDo(http.MethodPost, w.s.base+"/window", map[string]any{"handle": w.handle}, nil); err != nil {
		return err
	}
	w.s.current = w.handle
	return nil
}

// close leaves the first window on about:blank (which ends its page and
// its playback) for the next tab, and closes any other window.
func (w webkitTab) close() {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.handle == w.s.first {
		if w.switchTo() == nil {
			wdDo(http.MethodPost, w.s.base+"/url", map[string]any{"url": "about:blank"}, nil)
		}
		w.s.firstBusy = false
		return
	}
	if w.switchTo() == nil {
		wdDo(http.MethodDelete, w.s.base+"/window", nil, nil)
	}
	w.s.current = ""
}

// webkitEvalScript runs the text spliced in at %s as an async function's
// awaited value and hands back {json} or {undefined} or {error}: the same
// JSON as the other engines' Eval. The text is spliced in as source, so it
// runs through the automation protocol and the page's CSP (no eval) does
// not apply to it.
const webkitEvalScript = `const done = arguments[arguments.length - 1];
(async () => (%s
))().then(v => done(v === undefined ? {undefined: true} : {json: JSON.stringify(v)}),
	e => done({error: String(e && e.stack ? e.message + '\n' + e.stack : e)}));`

// webkitRunScript runs the text at %s as the body of an async function,
// for a text of statements, which is no expression: its value is
// undefined, and its var and function declarations stay local to it (a
// script such as axe's that sets a global does so through window).
const webkitRunScript = `const done = arguments[arguments.length - 1];
(async () => {%s
})().then(() => done({undefined: true}),
	e => done({error: String(e && e.stack ? e.message + '\n' + e.stack : e)}));`

// Eval evaluates expr as an expression; when it does not parse as one
// (WebDriver answers "javascript error": what runs is caught inside the
// async function and comes back as {error}, so only a parse fails so), it runs it as statements
// (webkitRunScript), so that scripts written for Chromium's
// Runtime.evaluate run here too.
func (w webkitTab) Eval(expr string, out any) error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if err := w.switchTo(); err != nil {
		return err
	}
	var res struct {
		JSON      *string
		Undefined bool
		Error     string
	}
	run := func(tmpl string) error {
		return wdDo(http.MethodPost, w.s.base+"/execute/async", map[string]any{"script": fmt.Sprintf(tmpl, "\n"+expr), "args": []any{}}, &res)
	}
	err := run(webkitEvalScript)
	if err != nil && strings.HasPrefix(err.Error(), "webdriver javascript error:") {
		err = run(webkitRunScript)
	}
	switch {
	case err != nil:
		return err
	case res.Error != "":
		return errors.New(res.Error)
	case res.Undefined || out == nil:
		return nil
	case res.JSON == nil:
		return errors.New("webkit: eval gave no value")
	}
	return json.Unmarshal([]byte(*res.JSON), out)
}

func (w webkitTab) Screenshot() ([]byte, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if err := w.switchTo(); err != nil {
		return nil, err
	}
	var b64 string
	if err := wdDo(http.MethodGet, w.s.base+"/screenshot", nil, &b64); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(b64)
}
