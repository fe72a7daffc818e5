package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// sendHost sends a GET for target to h from peer with the Host header host.
func sendHost(h http.Handler, target, peer, host string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.RemoteAddr = peer
	req.Host = host
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestAuthDNSRebinding is hole 1 of issue 9: a loopback request is trusted
// only when its Host names this computer. A page on evil.example that
// rebinds its name to 127.0.0.1 sends Host: evil.example and must get a 401
// for the library and the stream, like a LAN device without the key.
func TestAuthDNSRebinding(t *testing.T) {
	hostname, err := os.Hostname()
	if err != nil {
		t.Fatalf("os.Hostname: %v", err)
	}
	short, _, _ := strings.Cut(hostname, ".")
	const id = "{id}"
	stream := "/api/tracks/" + id + "/stream"
	tests := []struct {
		peer, host, target, cred string
		want                     int
	}{
		{loopPeer, "evil.example", "/api/tracks", "", 401},
		{loopPeer, "evil.example:8080", "/api/tracks", "", 401},
		{loopPeer, "evil.example", stream, "", 401},
		{loopPeer, "evil.example", "/", "", 401},
		{loopPeer, "localhost.evil.example", "/api/tracks", "", 401},
		{loopPeer, "127.0.0.1.nip.io", "/api/tracks", "", 401},
		{loopPeer, "", "/api/tracks", "", 401},
		{loopPeer6, "evil.example", "/api/tracks", "", 401},
		// With the key, a foreign Host is served like a LAN request.
		{loopPeer, "evil.example", "/api/tracks", "bearer", 200},
		{loopPeer, "evil.example", stream, "query", 200},
		// Names of this computer are trusted, with any port or none.
		{loopPeer, "localhost", "/api/tracks", "", 200},
		{loopPeer, "LOCALHOST:8080", "/api/tracks", "", 200},
		{loopPeer, "localhost.", "/api/tracks", "", 200},
		{loopPeer, "127.0.0.1", "/api/tracks", "", 200},
		{loopPeer, "127.0.0.1:51234", stream, "", 200},
		{loopPeer6, "[::1]:51234", "/api/tracks", "", 200},
		{loopPeer6, "[::1]", "/api/tracks", "", 200},
		{loopPeer, short + ":8080", "/api/tracks", "", 200},
		{loopPeer, short + ".local:8080", "/api/tracks", "", 200},
		{loopPeer, hostname, "/api/tracks", "", 200},
	}
	for _, tt := range tests {
		s, trackID := authServer(t, Options{}, newClock())
		target, header := credential(tt.cred, testKey, strings.ReplaceAll(tt.target, id, trackID))
		rec := sendHost(s.Handler(), target, tt.peer, tt.host, header)
		if rec.Code != tt.want {
			t.Errorf("GET %s from %s, Host %q, with %q = %d, want %d", tt.target, tt.peer, tt.host, tt.cred, rec.Code, tt.want)
		}
	}
}

// TestAuthOwnAddressHost checks that a loopback request whose Host is one
// of the machine's own LAN addresses is trusted: the desktop's browser may
// open the LAN URL shown in the window.
func TestAuthOwnAddressHost(t *testing.T) {
	ips := lanAddresses()
	if len(ips) == 0 {
		t.Fatalf("this machine has no LAN address to test with")
	}
	s, _ := authServer(t, Options{}, newClock())
	for _, a := range ips {
		host := fmt.Sprintf("%s:8080", a.ip)
		if rec := sendHost(s.Handler(), "/api/tracks", loopPeer, host, nil); rec.Code != 200 {
			t.Errorf("GET /api/tracks from loopback, Host %q = %d, want 200", host, rec.Code)
		}
	}
}

// TestLimitValidKeyPasses is hole 5 of issue 9: failures are counted per
// IPv6 /64, usually a whole home network, so ten bad guesses from one phone
// used to lock out another phone holding the right key. Valid credentials
// pass a block; wrong ones still get 429.
func TestLimitValidKeyPasses(t *testing.T) {
	clock := newClock()
	s, id := authServer(t, Options{}, clock)
	stream := "/api/tracks/" + id + "/stream"
	const phone1, phone2 = "[2001:db8::7]:5555", "[2001:db8::8]:5555"
	for i := range maxFailures {
		target, h := credential("bad bearer", testKey, "/api/tracks")
		if rec := send(s.Handler(), http.MethodGet, target, phone1, h); rec.Code != 401 {
			t.Fatalf("bad guess %d = %d, want 401", i, rec.Code)
		}
	}
	steps := []struct {
		peer, target, cred string
		want               int
	}{
		{phone2, "/api/tracks", "bearer", 200},
		{phone2, "/", "cookie", 200},
		{phone2, stream, "query", 200},
		{phone2, "/pair?key=" + testKey, "", 303},
		{phone1, "/api/tracks", "bearer", 200},
		// Wrong keys from the blocked /64 still get 429.
		{phone2, "/api/tracks", "bad bearer", 429},
		{phone1, "/api/tracks", "bad cookie", 429},
		{phone1, stream, "bad query", 429},
		{phone1, "/pair?key=nope", "", 429},
	}
	for _, st := range steps {
		target, h := credential(st.cred, testKey, st.target)
		if rec := send(s.Handler(), http.MethodGet, target, st.peer, h); rec.Code != st.want {
			t.Errorf("GET %s from %s with %q = %d, want %d", st.target, st.peer, st.cred, rec.Code, st.want)
		}
	}
}
