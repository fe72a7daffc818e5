package web

import (
	"net/http"
	"testing"
)

// TestPause checks that while sharing is paused a paired device gets 503
// with the message and Retry-After, and this computer is served; resuming
// serves the device again.
func TestPause(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	h := s.Handler()
	bearer := http.Header{"Authorization": {"Bearer " + testKey}}
	get := func(remote string) int { return send(h, "GET", "/api/status", remote, bearer).Code }
	if got := get(lanPeer); got != http.StatusOK {
		t.Fatalf("before pausing: %d", got)
	}
	s.SetPaused(true)
	rec := send(h, "GET", "/api/status", lanPeer, bearer)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || jsonError(t, rec) != errPaused || !s.Paused() {
		t.Errorf("paused, a device: %d %q", rec.Code, rec.Body)
	}
	if got := get("127.0.0.1:5000"); got != http.StatusOK {
		t.Errorf("paused, this computer: %d, want 200", got)
	}
	s.SetPaused(false)
	if got := get(lanPeer); got != http.StatusOK || s.Paused() {
		t.Errorf("resumed, a device: %d", got)
	}
}
