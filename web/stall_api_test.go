package web

import (
	"io"
	"testing"
	"time"
)

// TestStallTimeoutAPI checks that the JSON API has the streams' per-write
// stall timeout: a client that asks for the 20 MB /api/tracks of a
// 50,000-track library and stops reading is dropped once StallTimeout
// passes without progress, and one that reads gets the whole answer.
func TestStallTimeoutAPI(t *testing.T) {
	const stall = 500 * time.Millisecond
	ls := serveLive(t, bigListLibrary(t, bigListTracks), Options{StallTimeout: stall})

	t.Run("stopped reading", func(t *testing.T) {
		c := dialRaw(t, ls.addr)
		if err := c.SetReadBuffer(4096); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		resp := c.get(t, "/api/tracks")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d, want 200", resp.StatusCode)
		}
		// The client reads nothing more: the server's write blocks, its
		// deadline passes, and it closes the connection.
		pollUntil(t, 20*time.Second, "the server to drop the stalled client", func() bool { return ls.openConns() == 0 })
		if d := time.Since(start); d < stall {
			t.Errorf("dropped after %v, before the stall timeout %v", d, stall)
		}
	})

	t.Run("reading", func(t *testing.T) {
		c := dialRaw(t, ls.addr)
		resp := c.get(t, "/api/tracks")
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		n, err := io.Copy(io.Discard, resp.Body)
		if err != nil || resp.StatusCode != 200 || n < 10<<20 {
			t.Fatalf("read %d bytes (status %d), %v; want the whole answer, over 10 MB", n, resp.StatusCode, err)
		}
	})
}
