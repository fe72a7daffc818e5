package web

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// sseDeadline is how long the event tests wait for anything to happen.
const sseDeadline = 2 * time.Second

// sseMessage is one block of a text/event-stream, the lines up to a blank
// line, with the fields the server sends (WHATWG HTML §9.2.6).
type sseMessage struct {
	Event, Data, Retry, Comment string
}

// readSSE reads the next message from r: field lines ("name: value", one
// space after the colon removed) and comment lines (starting with ":")
// until a blank line.
func readSSE(r *bufio.Reader) (sseMessage, error) {
	var m sseMessage
	seen := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return m, err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			if seen {
				return m, nil
			}
			continue
		}
		seen = true
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "":
			m.Comment = value
		case "event":
			m.Event = value
		case "data":
			if m.Data != "" {
				m.Data += "\n"
			}
			m.Data += value
		case "retry":
			m.Retry = value
		}
	}
}

// sseStream is an open GET /api/events response whose messages arrive on
// msgs, which is closed when the stream ends.
type sseStream struct {
	resp   *http.Response
	msgs   chan sseMessage
	cancel context.CancelFunc // hangs up
}

// openEvents opens the event stream at url with client, failing t unless
// the answer is a 200 event stream. The test's cleanup hangs up.
func openEvents(t *testing.T, client *http.Client, url string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	s := &sseStream{resp: resp, msgs: make(chan sseMessage, 1000), cancel: cancel}
	go func() {
		defer close(s.msgs)
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		for {
			m, err := readSSE(r)
			if err != nil {
				return
			}
			s.msgs <- m
		}
	}()
	t.Cleanup(cancel)
	return s
}

// next returns the next message, failing t when none comes in sseDeadline.
func (s *sseStream) next(t *testing.T, what string) sseMessage {
	t.Helper()
	select {
	case m, ok := <-s.msgs:
		if !ok {
			t.Fatalf("stream ended while waiting for %s", what)
		}
		return m
	case <-time.After(sseDeadline):
		t.Fatalf("no message within %v while waiting for %s", sseDeadline, what)
	}
	panic("unreachable")
}

// until returns the messages up to and including the first for which done
// reports true, failing t when it does not come within sseDeadline.
func (s *sseStream) until(t *testing.T, what string, done func(sseMessage) bool) []sseMessage {
	t.Helper()
	return s.untilWithin(t, sseDeadline, what, done)
}

// untilWithin is [sseStream.until] with the deadline d.
func (s *sseStream) untilWithin(t *testing.T, d time.Duration, what string, done func(sseMessage) bool) []sseMessage {
	t.Helper()
	deadline := time.After(d)
	var got []sseMessage
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				t.Fatalf("stream ended while waiting for %s; got %v", what, got)
			}
			got = append(got, m)
			if done(m) {
				return got
			}
		case <-deadline:
			t.Fatalf("no %s within %v; got %v", what, d, got)
		}
	}
}

// ended waits for the stream to end, failing t after sseDeadline.
func (s *sseStream) ended(t *testing.T) {
	t.Helper()
	deadline := time.After(sseDeadline)
	for {
		select {
		case _, ok := <-s.msgs:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("stream still open %v later", sseDeadline)
		}
	}
}

// isEvent returns a predicate for a message of the given event type.
func isEvent(name string) func(sseMessage) bool {
	return func(m sseMessage) bool { return m.Event == name }
}

// decode unmarshals a message's data into v, failing t on error.
func decode(t *testing.T, m sseMessage, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(m.Data), v); err != nil {
		t.Fatalf("data %q of %q event: %v", m.Data, m.Event, err)
	}
}

// getBody GETs url and returns the body, failing t unless the status is 200.
func getBody(t *testing.T, client *http.Client, url string) []byte {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", url, resp.StatusCode, err)
	}
	return body
}

// TestEventsStream reads the start of a stream, then the messages of a scan.
func TestEventsStream(t *testing.T) {
	lib, _, _, fsys := wavLibrary(t)
	ts := httptest.NewServer(New(lib, Options{Version: "1.2.3"}).Handler())
	t.Cleanup(ts.Close)
	s := openEvents(t, ts.Client(), ts.URL+"/api/events")

	for name, want := range map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "no-cache",
		"X-Accel-Buffering": "no",
	} {
		if got := s.resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if m := s.next(t, "the retry field"); m != (sseMessage{Retry: "2000"}) {
		t.Errorf("first message %+v, want retry: 2000 alone", m)
	}
	m := s.next(t, "the status event")
	status := strings.TrimSpace(string(getBody(t, ts.Client(), ts.URL+"/api/status")))
	if m.Event != "status" || m.Data != status {
		t.Errorf("second message %+v, want event status with data %s", m, status)
	}

	fsys["Artist/Album/two.wav"] = &fstest.MapFile{Data: playertest.WAV(8000), ModTime: time.Now()}
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	msgs := s.until(t, "the library event", isEvent("library"))
	if len(msgs) < 3 {
		t.Fatalf("messages %v, want scan started, scan done and library at least", msgs)
	}
	var kinds []string
	for i, m := range msgs[:len(msgs)-1] {
		if m.Event != "scan" {
			t.Fatalf("message %d is %+v, want a scan event", i, m)
		}
		var body scanEventBody
		decode(t, m, &body)
		kinds = append(kinds, body.Kind)
		switch {
		case i == 0 && body.Kind != "started":
			t.Errorf("first scan event %+v, want kind started", body)
		case i == len(msgs)-2 && body != (scanEventBody{Kind: "done", Scanned: 2, Total: 2, Tracks: 2}):
			t.Errorf("last scan event %+v, want done with 2 of 2 scanned, 2 tracks", body)
		case i > 0 && i < len(msgs)-2 && (body.Kind != "progress" || body.Scanned > body.Total || body.Total != 2):
			t.Errorf("scan event %d is %+v, want progress of 2 files", i, body)
		}
	}
	var library libraryEventBody
	decode(t, msgs[len(msgs)-1], &library)
	if library.Tracks != 2 {
		t.Errorf("library event %+v, want 2 tracks", library)
	}
	t.Logf("scan kinds: %v", kinds)
}

// TestEventsMethods checks the answers that are not a stream.
func TestEventsMethods(t *testing.T) {
	lib, _, _, _ := wavLibrary(t)
	h := New(lib, Options{}).Handler()
	tests := []struct {
		method      string
		status      int
		contentType string
	}{
		{http.MethodHead, http.StatusOK, "text/event-stream"},
		{http.MethodPost, http.StatusMethodNotAllowed, "application/json; charset=utf-8"},
		{http.MethodDelete, http.StatusMethodNotAllowed, "application/json; charset=utf-8"},
	}
	for _, tt := range tests {
		rec := do(h, tt.method, "/api/events", nil)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != tt.contentType {
			t.Errorf("%s /api/events: %d %q, want %d %q", tt.method, rec.Code, rec.Header().Get("Content-Type"), tt.status, tt.contentType)
		}
		if tt.method == http.MethodHead && rec.Body.Len() != 0 {
			t.Errorf("HEAD /api/events has a body: %q", rec.Body)
		}
	}
}

// TestEventsHeartbeat checks that a quiet stream sends comments.
func TestEventsHeartbeat(t *testing.T) {
	lib, _, _, _ := wavLibrary(t)
	ts := httptest.NewServer(newEventStream(New(lib, Options{}), 20*time.Millisecond))
	t.Cleanup(ts.Close)
	s := openEvents(t, ts.Client(), ts.URL)
	s.until(t, "the status event", isEvent("status"))
	for range 3 {
		if m := s.next(t, "a heartbeat"); m != (sseMessage{Comment: "ping"}) {
			t.Errorf("message %+v on a quiet stream, want the comment ping", m)
		}
	}
}

// TestEventsClientGone hangs up: the handler must return, unsubscribed,
// leaving no goroutine behind.
func TestEventsClientGone(t *testing.T) {
	lib, _, _, fsys := wavLibrary(t)
	h := New(lib, Options{}).Handler()
	returned := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		close(returned)
	}))
	t.Cleanup(ts.Close)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	base := runtime.NumGoroutine()

	s := openEvents(t, client, ts.URL+"/api/events")
	s.until(t, "the status event", isEvent("status"))
	s.cancel()
	select {
	case <-returned:
	case <-time.After(sseDeadline):
		t.Fatalf("handler still running %v after the client hung up", sseDeadline)
	}
	s.ended(t)
	// Events keep flowing to nobody without blocking the scan.
	if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(sseDeadline)
	for n := runtime.NumGoroutine(); n > base; n = runtime.NumGoroutine() {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines %v after the client hung up, %d before it connected:\n%s",
				n, sseDeadline, base, buf[:runtime.Stack(buf, true)])
		}
		tr.CloseIdleConnections()
		<-time.After(10 * time.Millisecond) // polling interval
	}
}

// deadlineStream is a fake ResponseWriter that records write deadlines,
// writes and flushes in order, and fails every write after the first ok.
type deadlineStream struct {
	header http.Header
	ok     int

	mu    sync.Mutex
	calls []string
}

func (d *deadlineStream) Header() http.Header { return d.header }
func (d *deadlineStream) WriteHeader(int)     {}

func (d *deadlineStream) record(call string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, call)
	n := 0
	for _, c := range d.calls {
		if c == "write" {
			n++
		}
	}
	return n
}

func (d *deadlineStream) Write(p []byte) (int, error) {
	if d.record("write") > d.ok {
		return 0, os.ErrDeadlineExceeded // as from a client that stopped reading
	}
	return len(p), nil
}

func (d *deadlineStream) Flush() { d.record("flush") }

func (d *deadlineStream) SetWriteDeadline(time.Time) error {
	d.record("deadline")
	return nil
}

// TestEventsStuckClient checks that each message is written under a fresh
// deadline, and that the handler ends when a write fails (the deadline
// passed on a client that stopped reading) without the client hanging up.
func TestEventsStuckClient(t *testing.T) {
	tests := []struct {
		name      string
		ok        int // writes that succeed
		wantCalls []string
	}{
		{"first write fails", 0, []string{"deadline", "write"}},
		{"event write fails", 1, []string{"deadline", "write", "flush", "deadline", "write"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, _, _, fsys := wavLibrary(t)
			fake := &deadlineStream{header: http.Header{}, ok: tt.ok}
			req := httptest.NewRequest(http.MethodGet, "/api/events", nil)
			returned := make(chan struct{})
			go func() {
				defer close(returned)
				newEventStream(New(lib, Options{}), time.Hour).ServeHTTP(fake, req)
			}()
			if tt.ok > 0 {
				// Scan until the handler has something more to write.
				deadline := time.Now().Add(sseDeadline)
				for !isClosed(returned) && time.Now().Before(deadline) {
					if _, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys}); err != nil {
						t.Fatal(err)
					}
					select {
					case <-returned:
					case <-time.After(10 * time.Millisecond): // polling interval
					}
				}
			}
			select {
			case <-returned:
			case <-time.After(sseDeadline):
				t.Fatalf("handler still running %v after a failed write", sseDeadline)
			}
			fake.mu.Lock()
			defer fake.mu.Unlock()
			if strings.Join(fake.calls, " ") != strings.Join(tt.wantCalls, " ") {
				t.Errorf("calls %q, want %q", fake.calls, tt.wantCalls)
			}
		})
	}
}

// isClosed reports whether ch is closed.
func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestEventsEndOnShutdown checks that an open stream does not hold up
// Server.Shutdown for its grace period.
func TestEventsEndOnShutdown(t *testing.T) {
	lib, _, _, _ := wavLibrary(t)
	srv := New(lib, Options{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	s := openEvents(t, &http.Client{Transport: tr}, "http://"+srv.Addr().String()+"/api/events")
	s.until(t, "the status event", isEvent("status"))

	const grace = 10 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	took := time.Since(start)
	t.Logf("Shutdown took %v with a stream open", took)
	if took > sseDeadline {
		t.Errorf("Shutdown took %v with a stream open, want under %v", took, sseDeadline)
	}
	s.ended(t)
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestEventsWatchEndToEnd copies a file into a watched library folder: it
// must show in GET /api/tracks and on the event stream within 2 s.
func TestEventsWatchEndToEnd(t *testing.T) {
	dir := t.TempDir()
	writeFile := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("Artist/Album/one.wav", playertest.WAV(8000))
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(ts.Close)
	s := openEvents(t, ts.Client(), ts.URL+"/api/events")
	s.until(t, "the status event", isEvent("status"))

	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() { watched <- lib.Use(ctx, src) }()
	defer func() {
		cancel()
		if err := <-watched; err != nil {
			t.Errorf("Use: %v", err)
		}
	}()
	s.until(t, "the library event of Use's first scan", isEvent("library")) // the folder is watched

	start := time.Now()
	writeFile("Artist/Album/two.wav", playertest.WAV(16000))
	var library libraryEventBody
	s.until(t, "a library event with two tracks", func(m sseMessage) bool {
		if m.Event != "library" {
			return false
		}
		decode(t, m, &library)
		return library.Tracks == 2
	})
	latency := time.Since(start)
	var body tracksBody
	if err := json.Unmarshal(getBody(t, ts.Client(), ts.URL+"/api/tracks"), &body); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tr := range body.Tracks {
		found = found || tr.Path == "Artist/Album/two.wav"
	}
	if !found {
		t.Errorf("GET /api/tracks after the library event: %d tracks, without the new file", len(body.Tracks))
	}
	t.Logf("new file on the event stream and in /api/tracks %d ms after it was written", latency.Milliseconds())
	if latency > sseDeadline {
		t.Errorf("took %v, want under %v", latency, sseDeadline)
	}
}
