package web

import (
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// holdServer serves the chirp library with its streams paced (1.5 times
// the average bit rate after a 64-KiB burst, so that a seek far ahead needs
// a new request) and can hold them: while hold is on, every stream
// response, running or new, stops writing its body, as a server or network
// that stops delivering without closing the connection does. Responses
// held stay held until the test ends; those begun after unhold are served
// at full speed (paced, the noisy second half would come slower than it
// plays).
type holdServer struct {
	*httptest.Server
	release chan struct{} // closed when the test ends

	mu       sync.Mutex
	streams  int // stream GETs begun so far
	heldUpTo int // stream GETs numbered up to this are held
}

func newHoldServer(t *testing.T) (*holdServer, string) {
	t.Helper()
	h, tr := chirpHandler(t)
	hs := &holdServer{release: make(chan struct{})}
	rate := 1.5 * float64(tr.Size) / tr.Duration
	hs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/stream") {
			hs.mu.Lock()
			hs.streams++
			n, unheld := hs.streams, hs.heldUpTo > 0 && hs.heldUpTo < math.MaxInt
			hs.mu.Unlock()
			var pw http.ResponseWriter = &pacedWriter{ResponseWriter: w, rate: rate, burst: 64 << 10, start: time.Now()}
			if unheld {
				pw = w
			}
			w = &holdWriter{ResponseWriter: pw, hs: hs, n: n}
		}
		h.ServeHTTP(w, r)
	}))
	// Cleanups run last first: the held handlers return, then the server closes.
	t.Cleanup(hs.Close)
	t.Cleanup(func() { close(hs.release) })
	return hs, tr.ID
}

// hold holds every stream response from now on, running or new.
func (hs *holdServer) hold() {
	hs.mu.Lock()
	hs.heldUpTo = math.MaxInt
	hs.mu.Unlock()
}

// unhold serves the stream requests that begin from now on; those held
// stay held.
func (hs *holdServer) unhold() {
	hs.mu.Lock()
	hs.heldUpTo = hs.streams
	hs.mu.Unlock()
}

func (hs *holdServer) held(n int) bool {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return n <= hs.heldUpTo
}

// holdWriter is the writer of the n-th stream response of a holdServer.
type holdWriter struct {
	http.ResponseWriter
	hs *holdServer
	n  int
}

func (h *holdWriter) Write(b []byte) (int, error) {
	if h.hs.held(h.n) {
		<-h.hs.release
		return 0, errors.New("held until the test ended")
	}
	return h.ResponseWriter.Write(b)
}

// jsRecordLoads counts, in window.rec.loads, the loadstart events of both
// media elements (each is a load of a source), and keeps in rec.t the last
// position of the playing element and in rec.before the position each
// load began at.
const jsRecordLoads = `(() => { window.rec = {loads: 0, t: 0, before: []};
  for (const id of ['audio', 'audio-next']) document.getElementById(id).addEventListener('loadstart', () => { rec.loads++; rec.before.push(rec.t) });
  document.addEventListener('timeupdate', (e) => { if (e.target.id === 'audio' && e.target.currentTime > 0) rec.t = e.target.currentTime }, true);
  return true })()`

// jsSeekBar moves the page's seek bar to a position in seconds as a
// listener would, by an input and a change event.
func jsSeekBar(sec float64) string {
	return `(() => { const s = document.getElementById('seek'); s.value = ` + ftoa(sec) + `; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); return true })()`
}

// TestBrowserStallWatchdog checks, in each engine, that the page reloads
// the source only when playback has stopped. First a `stalled` event
// alone, dispatched every second for 8 s (longer than the watchdog's 6 s)
// after a seek, with readyState made to read 2 as WebKit reports it while
// playing, must not reload: no loadstart. Then the server holds every
// stream and the page seeks far ahead: the position stands still, the
// page must say "Reconnecting…", reload, and play on at the position
// asked for once the server delivers again.
func TestBrowserStallWatchdog(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			hs, id := newHoldServer(t)
			tb := e.open(t, hs.URL+"/", desktopSize)
			row := `document.querySelector('#view [data-track-id="` + id + `"]')`
			tabUntil(t, tb, chirpWait, "the chirp's row", row)
			tabEval[bool](t, tb, jsRecordLoads)
			tabEval[any](t, tb, row+`.click()`)
			tabUntil(t, tb, chirpWait, "the chirp to play 2 s", playingTrack(id)+` && document.getElementById('audio').currentTime > 2`)

			// A stalled event alone, after a seek within what is buffered.
			tabEval[bool](t, tb, jsSeekBar(5))
			tabUntil(t, tb, chirpWait, "the seek to 5 s", `(() => { const a = document.getElementById('audio'); return !a.seeking && a.currentTime >= 5 && a.currentTime < 7 })()`)
			loads := tabEval[int](t, tb, `rec.loads`)
			start := tabEval[float64](t, tb, `document.getElementById('audio').currentTime`)
			tabEval[bool](t, tb, `(() => { const a = document.getElementById('audio');
				Object.defineProperty(a, 'readyState', {get: () => 2, configurable: true});
				a.dispatchEvent(new Event('stalled'));
				window.fakeStalls = setInterval(() => a.dispatchEvent(new Event('stalled')), 1000);
				return true })()`)
			tabUntil(t, tb, chirpWait, "8 s of playback with stalled events", `document.getElementById('audio').currentTime > `+ftoa(start+8))
			tabEval[bool](t, tb, `(() => { clearInterval(fakeStalls); delete document.getElementById('audio').readyState; return true })()`)
			if n := tabEval[int](t, tb, `rec.loads`); n != loads {
				t.Errorf("stalled events alone made the page load a source %d times", n-loads)
			}
			if s := tabEval[string](t, tb, `document.getElementById('np-status').textContent`); s != "" {
				t.Errorf("np-status = %q after stalled events alone, want empty", s)
			}

			// A real stop: the server holds every stream; a seek far ahead
			// waits for bytes that do not come.
			const target = 75.0
			buffered := tabEval[float64](t, tb, `(() => { const b = document.getElementById('audio').buffered; return b.length ? b.end(b.length - 1) : 0 })()`)
			if buffered > target-5 {
				t.Fatalf("buffered to %.1f s already: a seek to %.0f s would need no request", buffered, target)
			}
			hs.hold()
			stopAt := time.Now()
			tabEval[bool](t, tb, jsSeekBar(target))
			tabUntil(t, tb, chirpWait, "the page to reconnect", `document.getElementById('np-status').textContent === 'Reconnecting…'`)
			t.Logf("%s: reconnecting %.1f s after the stop (buffered to %.1f s)", e.name, time.Since(stopAt).Seconds(), buffered)
			hs.unhold()
			tabUntil(t, tb, chirpWait, "playback to go on after the reload", playingTrack(id)+` && document.getElementById('np-status').textContent === '' && !document.getElementById('audio').seeking && rec.loads > `+strconv.Itoa(loads))
			at := tabEval[float64](t, tb, `document.getElementById('audio').currentTime`)
			if at < target-1 || at > target+5 {
				t.Errorf("after the reload playback is at %.2f s, want about %.0f s", at, target)
			}
			tabUntil(t, tb, chirpWait, "playback to advance after the reload", `document.getElementById('audio').currentTime > `+ftoa(at+1))
			t.Logf("%s: loads %d → %d, positions at each load %v; playing at %.2f s", e.name, loads, tabEval[int](t, tb, `rec.loads`), tabEval[[]float64](t, tb, `rec.before`), at)
		})
	}
}
