package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/player"
	"earshot/player/playertest"
)

// pollUntil calls cond every 10 ms until it reports true, failing t with
// what, as a Fatal, when timeout passes first. It is the tests' way to wait
// for something another goroutine or the kernel does.
func pollUntil(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		<-tick.C
	}
}

// liveServer is a [Server] on a real loopback listener, so the http.Server's
// own settings (ReadHeaderTimeout, no WriteTimeout, keep-alive) apply.
type liveServer struct {
	*Server
	addr string // host:port on 127.0.0.1
	dir  string // the library folder
	lib  *player.Library
}

// startLive scans the folder dir with [player.OpenFolder] and serves it on
// 127.0.0.1 with opts until the test ends; request errors are not logged.
func startLive(t *testing.T, dir string, opts Options) *liveServer {
	t.Helper()
	ls := serveLive(t, folderLibrary(t, dir), opts)
	ls.dir = dir
	return ls
}

// serveLive serves lib on 127.0.0.1 with opts until the test ends.
func serveLive(t *testing.T, lib *player.Library, opts Options) *liveServer {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := New(lib, opts)
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &liveServer{Server: s, addr: s.Addr().String(), lib: lib}
}

// folderLibrary scans the folder dir, opened with [player.OpenFolder] as
// the app does, into a new library.
func folderLibrary(t testing.TB, dir string) *player.Library {
	t.Helper()
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return lib
}

// serveFolder scans the folder dir like [folderLibrary] and serves it on an
// httptest server that ends with the test.
func serveFolder(t testing.TB, dir string) (*player.Library, *httptest.Server) {
	t.Helper()
	lib := folderLibrary(t, dir)
	srv := httptest.NewServer(New(lib, Options{}).Handler())
	t.Cleanup(srv.Close)
	return lib, srv
}

// openConns returns how many client connections the server holds open.
func (ls *liveServer) openConns() int {
	ls.lis.mu.Lock()
	defer ls.lis.mu.Unlock()
	return len(ls.lis.conns)
}

// trackID returns the ID of the library file at the slash path p.
func (ls *liveServer) trackID(t *testing.T, p string) string {
	t.Helper()
	tr, err := ls.lib.Track(player.TrackID(p))
	if err != nil {
		t.Fatalf("%s is not in the library: %v", p, err)
	}
	return tr.ID
}

// client returns an HTTP client of its own, whose idle connections are
// closed when the test ends (so that they do not count as leaks).
func (ls *liveServer) client(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// writeWAV writes a playertest.WAV with n data bytes at dir/name and
// returns its bytes.
func writeWAV(t *testing.T, dir, name string, n int) []byte {
	t.Helper()
	data := playertest.WAV(n)
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

// rawConn is a client connection on which the test writes requests byte
// for byte and reads responses itself.
type rawConn struct {
	*net.TCPConn
	br *bufio.Reader
}

// dialRaw connects to addr with the system's default socket buffers, which
// a stream of a file much larger than them (32 MiB against Linux's default
// 4 MiB send and 128 KiB initial receive buffer) fills when the client stops
// reading. (Shrinking the receive buffer of a connected socket with
// SetReadBuffer makes Linux drop segments inside the window it already
// advertised, and the retransmission back-off then stalls every client,
// reading or not.)
func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	tc := c.(*net.TCPConn)
	t.Cleanup(func() { tc.Close() })
	return &rawConn{TCPConn: tc, br: bufio.NewReaderSize(tc, 4096)}
}

// get sends a GET request for target with the extra header lines and reads
// the response head. The body is left to the caller.
func (c *rawConn) get(t *testing.T, target string, header ...string) *http.Response {
	t.Helper()
	req := "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
	for _, h := range header {
		req += h + "\r\n"
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	defer c.SetDeadline(time.Time{})
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return resp
}

// TestStallTimeout checks the per-write stall timeout of streams: a client
// that stops reading is dropped once StallTimeout passes without progress,
// while one that reads slowly gets the whole file in one response lasting
// many stall timeouts (so there is no overall write timeout and no range
// cap), and a kept-alive connection serves again after a stream.
func TestStallTimeout(t *testing.T) {
	// Short, but not so short that a loaded machine (-race, parallel
	// packages) starves the slow reader's goroutine for that long.
	const stall = 500 * time.Millisecond
	dir := t.TempDir()
	big := writeWAV(t, dir, "Band/Album/big.wav", 32<<20)
	medium := writeWAV(t, dir, "Band/Album/medium.wav", 24<<20)
	small := writeWAV(t, dir, "Band/Album/small.wav", 64<<10)
	ls := startLive(t, dir, Options{StallTimeout: stall})
	stream := func(name string) string { return "/api/tracks/" + ls.trackID(t, "Band/Album/"+name) + "/stream" }

	t.Run("stopped reading", func(t *testing.T) {
		c := dialRaw(t, ls.addr)
		start := time.Now()
		resp := c.get(t, stream("big.wav"))
		if resp.StatusCode != 200 || resp.ContentLength != int64(len(big)) {
			t.Fatalf("status %d, Content-Length %d; want 200, %d", resp.StatusCode, resp.ContentLength, len(big))
		}
		// The client reads nothing more; the server's write blocks, its
		// deadline passes, and it closes the connection.
		pollUntil(t, 10*time.Second, "the server to drop the stalled client", func() bool { return ls.openConns() == 0 })
		if d := time.Since(start); d < stall {
			t.Errorf("dropped after %v, before the stall timeout %v", d, stall)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := io.Copy(io.Discard, resp.Body)
		if err == nil || n >= int64(len(big)) {
			t.Errorf("after the drop the client read %d of %d bytes (err %v); want a cut-short body", n, len(big), err)
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("reading the rest timed out: the connection was not closed")
		}
	})

	t.Run("slow but reading", func(t *testing.T) {
		// At most 160 KiB each 20 ms tick (8 MiB/s), so the 24 MiB file
		// takes at least 3 s: six stall timeouts, with reads far more often
		// than one. Range bytes=0- must still come back whole, in one 206.
		c := dialRaw(t, ls.addr)
		resp := c.get(t, stream("medium.wav"), "Range: bytes=0-")
		want := fmt.Sprintf("bytes 0-%d/%d", len(medium)-1, len(medium))
		if resp.StatusCode != 206 || resp.Header.Get("Content-Range") != want || resp.ContentLength != int64(len(medium)) {
			t.Fatalf("status %d, Content-Range %q, Content-Length %d; want 206, %q, %d",
				resp.StatusCode, resp.Header.Get("Content-Range"), resp.ContentLength, want, len(medium))
		}
		start := time.Now()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		buf := make([]byte, 160<<10)
		off := 0
		for off < len(medium) && time.Since(start) < 20*time.Second {
			<-tick.C
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, err := io.ReadFull(resp.Body, buf[:min(len(buf), len(medium)-off)])
			if !bytes.Equal(buf[:n], medium[off:off+n]) {
				t.Fatalf("bytes %d-%d differ from the file", off, off+n-1)
			}
			off += n
			if err != nil {
				t.Fatalf("slow reader cut off after %d of %d bytes, %v in: %v", off, len(medium), time.Since(start), err)
			}
		}
		if off != len(medium) {
			t.Fatalf("slow reader got %d bytes in %v, want the file's %d", off, time.Since(start), len(medium))
		}
		if d := time.Since(start); d < 5*stall {
			t.Errorf("the transfer took %v, not the many stall timeouts it was paced to", d)
		}
	})

	t.Run("keep-alive after a stream", func(t *testing.T) {
		// net/http resets write deadlines only when the server has a
		// WriteTimeout; a stream must not leave its last one behind.
		c := dialRaw(t, ls.addr)
		resp := c.get(t, stream("small.wav"))
		body, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(body, small) {
			t.Fatalf("stream: %d bytes, %v", len(body), err)
		}
		<-time.After(3 * stall) // idle longer than the stall timeout, by design
		for _, target := range []string{"/api/status", stream("small.wav")} {
			resp = c.get(t, target)
			if _, err := io.Copy(io.Discard, resp.Body); err != nil || resp.StatusCode != 200 {
				t.Fatalf("GET %s on the kept-alive connection: status %d, %v", target, resp.StatusCode, err)
			}
		}
	})
}

// goroutineBaseline returns the current goroutine count, and a function
// that waits until the count is back to it (plus a little slack for the
// runtime) after closeIdle runs, failing t when it is not within 10 s.
func goroutineBaseline(t *testing.T) func(closeIdle func()) {
	base := runtime.NumGoroutine()
	return func(closeIdle func()) {
		t.Helper()
		const slack = 2
		pollUntil(t, 10*time.Second, "goroutines to return to the baseline of "+strconv.Itoa(base), func() bool {
			closeIdle()
			return runtime.NumGoroutine() <= base+slack
		})
	}
}

// TestClientDisconnectsMidStream has clients hang up in the middle of a
// stream: the others are still served, and every handler returns (the
// goroutine count goes back to where it was).
func TestClientDisconnectsMidStream(t *testing.T) {
	dir := t.TempDir()
	writeWAV(t, dir, "Band/Album/big.wav", 32<<20)
	small := writeWAV(t, dir, "Band/Album/small.wav", 256<<10)
	ls := startLive(t, dir, Options{})
	client := ls.client(t)
	tr := client.Transport.(*http.Transport)
	backToBaseline := goroutineBaseline(t)

	const quitters = 5
	for i := range quitters {
		c := dialRaw(t, ls.addr)
		resp := c.get(t, "/api/tracks/"+ls.trackID(t, "Band/Album/big.wav")+"/stream", "Range: bytes="+strconv.Itoa(i*1000)+"-")
		if resp.StatusCode != 206 {
			t.Fatalf("status %d, want 206", resp.StatusCode)
		}
		if _, err := io.CopyN(io.Discard, resp.Body, 64<<10); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}

	// The others are still served, fully.
	for _, target := range []string{"/api/status", "/api/tracks/" + ls.trackID(t, "Band/Album/small.wav") + "/stream"} {
		resp, err := client.Get("http://" + ls.addr + target)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: status %d, %v", target, resp.StatusCode, err)
		}
		if target != "/api/status" && !bytes.Equal(body, small) {
			t.Errorf("GET %s: %d bytes, want the file's %d", target, len(body), len(small))
		}
	}

	pollUntil(t, 10*time.Second, "the server to close the abandoned connections", func() bool {
		tr.CloseIdleConnections()
		return ls.openConns() == 0
	})
	backToBaseline(tr.CloseIdleConnections)
}

// TestFileChangesWhileStreaming deletes or replaces a file in the middle of
// a stream. The stream in progress finishes or fails cleanly (a short body,
// never a hang); afterwards a deleted file is a JSON 404, and a replaced
// one has a new ETag, so a Range request with If-Range and the old ETag
// gets the whole new file with 200 rather than a splice of two versions.
func TestFileChangesWhileStreaming(t *testing.T) {
	const name = "Band/Album/song.wav"
	tests := []struct {
		name string
		// change alters the file at p, returning its new bytes (nil: gone).
		change func(t *testing.T, p string) []byte
		// oldIntact is whether the stream in progress must still get the
		// old bytes in full (its open file is untouched).
		oldIntact bool
	}{
		{"deleted", func(t *testing.T, p string) []byte {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			return nil
		}, true},
		{"replaced by rename", func(t *testing.T, p string) []byte {
			tmp := filepath.Join(filepath.Dir(p), ".song.wav.new")
			data := writeWAV(t, filepath.Dir(p), filepath.Base(tmp), 3<<20)
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(tmp, later, later); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, p); err != nil {
				t.Fatal(err)
			}
			return data
		}, true},
		{"rewritten in place", func(t *testing.T, p string) []byte {
			data := playertest.WAV(3 << 20)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(p, later, later); err != nil {
				t.Fatal(err)
			}
			return data
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			old := writeWAV(t, dir, name, 16<<20)
			ls := startLive(t, dir, Options{})
			target := "/api/tracks/" + ls.trackID(t, name) + "/stream"

			c := dialRaw(t, ls.addr)
			resp := c.get(t, target)
			oldTag := resp.Header.Get("ETag")
			if resp.StatusCode != 200 || oldTag == "" {
				t.Fatalf("status %d, ETag %q", resp.StatusCode, oldTag)
			}
			var got bytes.Buffer
			if _, err := io.CopyN(&got, resp.Body, 64<<10); err != nil {
				t.Fatal(err)
			}

			now := tc.change(t, filepath.Join(dir, filepath.FromSlash(name)))

			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err := io.Copy(&got, resp.Body)
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				t.Fatalf("the stream in progress hung after %d bytes", got.Len())
			case tc.oldIntact && (err != nil || !bytes.Equal(got.Bytes(), old)):
				t.Errorf("the stream in progress got %d bytes (%v), want the old file's %d", got.Len(), err, len(old))
			case err == nil && got.Len() != len(old):
				t.Errorf("the stream in progress ended without error after %d bytes of a declared %d", got.Len(), len(old))
			}

			client := ls.client(t)
			req, _ := http.NewRequest("GET", "http://"+ls.addr+target, nil)
			req.Header.Set("Range", "bytes=0-99")
			req.Header.Set("If-Range", oldTag)
			resp, err = client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if now == nil {
				var e errorBody
				if resp.StatusCode != 404 || json.Unmarshal(body, &e) != nil || e.Error != "file not found" {
					t.Fatalf("after the delete: status %d, body %q; want 404 {\"error\":\"file not found\"}", resp.StatusCode, body)
				}
				return
			}
			if resp.StatusCode != 200 || !bytes.Equal(body, now) {
				t.Fatalf("If-Range with the old ETag: status %d, %d bytes; want 200 and the new file's %d", resp.StatusCode, len(body), len(now))
			}
			if tag := resp.Header.Get("ETag"); tag == oldTag || tag == "" {
				t.Errorf("ETag %q after the change, was %q", tag, oldTag)
			}
		})
	}
}

// TestSlowloris opens 100 connections that trickle their request headers
// one byte per tick. A normal request is answered while they are all still
// connected; each is dropped once ReadHeaderTimeout passes, and the
// server's goroutines go back to the baseline.
func TestSlowloris(t *testing.T) {
	const (
		clients    = 100
		readHeader = time.Second
		tickEvery  = 50 * time.Millisecond
		maxTicks   = 200 // 10 s: a bound on the test, well past readHeader
	)
	dir := t.TempDir()
	writeWAV(t, dir, "Band/Album/song.wav", 16000)
	ls := startLive(t, dir, Options{ReadHeaderTimeout: readHeader})
	client := ls.client(t)
	tr := client.Transport.(*http.Transport)
	backToBaseline := goroutineBaseline(t)

	// The header never ends within maxTicks bytes.
	trickle := []byte("GET /api/status HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + string(bytes.Repeat([]byte("a"), maxTicks)))
	type result struct {
		connected time.Time
		dropped   time.Time // zero when never dropped
	}
	results := make([]result, clients)
	var wg sync.WaitGroup
	for i := range clients {
		// Taken before the dial, so never after the server's clock starts.
		results[i].connected = time.Now()
		c, err := net.DialTimeout("tcp", ls.addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer c.Close()
			// A reader notices the server closing the connection.
			closed := make(chan struct{})
			go func() {
				io.Copy(io.Discard, c)
				close(closed)
			}()
			tick := time.NewTicker(tickEvery)
			defer tick.Stop()
			for n := 0; n < maxTicks; n++ {
				select {
				case <-closed:
					results[i].dropped = time.Now()
					return
				case <-tick.C:
					c.Write(trickle[n : n+1])
				}
			}
		})
	}
	pollUntil(t, 5*time.Second, "the server to accept every slow client", func() bool { return ls.openConns() >= clients })

	resp, err := client.Get("http://" + ls.addr + "/api/status")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	open := ls.openConns()
	if resp.StatusCode != 200 {
		t.Errorf("GET /api/status during the attack: status %d", resp.StatusCode)
	}
	if open < clients {
		t.Errorf("GET /api/status was answered only after %d slow clients had been dropped", clients-open)
	}

	wg.Wait()
	for i, r := range results {
		switch {
		case r.dropped.IsZero():
			t.Errorf("slow client %d was still connected after %v", i, maxTicks*tickEvery)
		case r.dropped.Sub(r.connected) < readHeader:
			t.Errorf("slow client %d was dropped after %v, before ReadHeaderTimeout %v", i, r.dropped.Sub(r.connected), readHeader)
		}
	}
	pollUntil(t, 5*time.Second, "the server to forget the slow clients", func() bool {
		tr.CloseIdleConnections()
		return ls.openConns() == 0
	})
	backToBaseline(tr.CloseIdleConnections)
}

// TestBrowserResumesAfterStall plays a long track in Chromium from a server
// with a 1 s stall timeout. Chromium reads a few minutes of audio ahead and
// then stops reading, so the server drops its connection; when playback (at
// 16× speed) reaches the end of what it has, Chromium must ask for the rest
// with a Range request and play on without an error.
func TestBrowserResumesAfterStall(t *testing.T) {
	// 48 kHz stereo, so that the few megabytes Chromium reads ahead are
	// seconds, not minutes, of audio: 64 MiB is six minutes.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Band", "Album"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Band", "Album", "long.wav"), stereoWAV(64<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	lib := folderLibrary(t, dir)
	h := New(lib, Options{StallTimeout: time.Second, Logger: slog.New(slog.DiscardHandler)}).Handler()
	var mu sync.Mutex
	var ranges []string // of the stream requests, in order
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/stream") {
			mu.Lock()
			ranges = append(ranges, r.Header.Get("Range"))
			mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close) // after the browser has gone (cleanups run last first)
	ctx := newBrowser(t)
	id := player.TrackID("Band/Album/long.wav")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`[data-track-id="`+id+`"]`),
		chromedp.Click(`[data-track-id="`+id+`"]`),
	); err != nil {
		t.Fatalf("open page and play: %v", err)
	}
	until(t, ctx, "the track to play", `document.getElementById('audio').currentTime > 0.5`)
	eval[bool](t, ctx, `(() => { document.getElementById('audio').playbackRate = 16; return true })()`)

	// A later request that starts past 0 means the first connection ended
	// before the file did: the stall timeout dropped it, and Chromium came back.
	resumed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range ranges[min(1, len(ranges)):] {
			if r != "" && !strings.HasPrefix(r, "bytes=0-") {
				return true
			}
		}
		return false
	}
	pollUntil(t, 60*time.Second, "Chromium to come back with a Range request after the drop", resumed)
	at := eval[float64](t, ctx, `document.getElementById('audio').currentTime`)
	until(t, ctx, "playback to go on after the new request", `document.getElementById('audio').currentTime > `+ftoa(at+60)+
		` && !document.getElementById('audio').error`)
	mu.Lock()
	t.Logf("stream requests: %q", ranges)
	mu.Unlock()
}

// stereoWAV returns a 16-bit 48 kHz stereo PCM WAV file (192,000 bytes a
// second) with n data bytes of [playertest.WAV]'s pattern.
func stereoWAV(n int) []byte {
	le := binary.LittleEndian
	b := []byte("RIFF")
	b = le.AppendUint32(b, uint32(36+n))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1)      // PCM
	b = le.AppendUint16(b, 2)      // stereo
	b = le.AppendUint32(b, 48000)  // sample rate
	b = le.AppendUint32(b, 192000) // byte rate
	b = le.AppendUint16(b, 4)      // block align
	b = le.AppendUint16(b, 16)     // bits per sample
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(n))
	return append(b, playertest.WAV(n)[44:]...)
}
