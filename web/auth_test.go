package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Peers used by the tests: documentation addresses (RFC 5737, RFC 3849)
// stand for phones on the LAN.
const (
	lanPeer   = "192.0.2.7:5555"
	lanPeer2  = "192.0.2.8:5555"
	lanPeer6  = "[2001:db8::7]:5555"
	loopPeer  = "127.0.0.1:5555"
	loopPeer6 = "[::1]:5555"
	mappedLo  = "[::ffff:127.0.0.1]:5555"
)

// testKey is the access key of the servers the tests build.
const testKey = "k3y-for-tests_0123456789abc"

// fakeClock is a hand-set clock for the limiter and the device log.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// newClock returns a fake clock at a fixed instant.
func newClock() *fakeClock {
	return &fakeClock{time.Date(2025, 3, 1, 20, 0, 0, 0, time.UTC)}
}

// authServer returns a server for the one-WAV library with key testKey,
// its limiter and device log on clock, and the track's ID.
func authServer(t *testing.T, opts Options, clock *fakeClock) (*Server, string) {
	t.Helper()
	lib, _, tr, _ := wavLibrary(t)
	opts.Key = testKey
	s := New(lib, opts)
	s.pairing.limiter.now = clock.now
	s.pairing.devices.now = clock.now
	return s, tr.ID
}

// send sends a request to h from the peer at remote ("ip:port").
func send(h http.Handler, method, target, remote string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = remote
	req.Host = "localhost:8780" // a name of this computer, as the desktop's browser sends
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// wantSession is the session cookie's value for testKey, computed here
// independently of sessionValue to pin the format.
func wantSession(key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("earshot session v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// credential describes how a test request proves (or fails to prove) that
// it knows key: it returns the target with any ?key= added and the headers.
func credential(kind, key, target string) (string, http.Header) {
	h := http.Header{}
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	switch kind {
	case "":
	case "cookie":
		h.Set("Cookie", SessionCookie+"="+wantSession(key))
	case "bad cookie":
		h.Set("Cookie", SessionCookie+"="+wantSession(key+"x"))
	case "raw key cookie": // the key itself is not a session value
		h.Set("Cookie", SessionCookie+"="+key)
	case "bearer":
		h.Set("Authorization", "Bearer "+key)
	case "lower bearer":
		h.Set("Authorization", "bearer "+key)
	case "bad bearer":
		h.Set("Authorization", "Bearer "+key+"x")
	case "basic":
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("u:"+key)))
	case "query":
		target += sep + "key=" + key
	case "bad query":
		target += sep + "key=" + key[:len(key)-1]
	case "forwarded": // a forged proxy header must not make a peer local
		h.Set("X-Forwarded-For", "127.0.0.1")
		h.Set("X-Real-Ip", "127.0.0.1")
	default:
		panic("unknown credential " + kind)
	}
	return target, h
}

func TestAuthAccess(t *testing.T) {
	const id = "{id}" // replaced by the track's ID
	tests := []struct {
		peer     string
		needLoop bool // Options.RequireKeyOnLoopback
		target   string
		cred     string
		want     int
	}{
		// LAN peers need a credential.
		{lanPeer, false, "/", "", 401},
		{lanPeer, false, "/", "cookie", 200},
		{lanPeer, false, "/", "bearer", 200},
		{lanPeer, false, "/", "query", 401},
		{lanPeer, false, "/", "bad cookie", 401},
		{lanPeer, false, "/", "raw key cookie", 401},
		{lanPeer, false, "/", "forwarded", 401},
		{lanPeer, false, "/index.html", "", 401},
		{lanPeer, false, "/app.js", "", 401},
		{lanPeer, false, "/favicon.ico", "", 401},
		{lanPeer, false, "/api/status", "", 401},
		{lanPeer, false, "/api/tracks", "", 401},
		{lanPeer, false, "/api/tracks", "cookie", 200},
		{lanPeer, false, "/api/tracks", "bearer", 200},
		{lanPeer, false, "/api/tracks", "lower bearer", 200},
		{lanPeer, false, "/api/tracks", "bad bearer", 401},
		{lanPeer, false, "/api/tracks", "basic", 401},
		{lanPeer, false, "/api/tracks", "query", 401},
		{lanPeer, false, "/api/tracks", "forwarded", 401},
		{lanPeer, false, "/api/tracks/" + id, "query", 401},
		{lanPeer, false, "/api/tracks/" + id, "bearer", 200},
		{lanPeer, false, "/api/search?q=song", "query", 401},
		{lanPeer, false, "/api/nothing", "", 401},
		// ?key= works on stream and cover URLs only.
		{lanPeer, false, "/api/tracks/" + id + "/stream", "", 401},
		{lanPeer, false, "/api/tracks/" + id + "/stream", "query", 200},
		{lanPeer, false, "/api/tracks/" + id + "/stream", "bad query", 401},
		{lanPeer, false, "/api/tracks/" + id + "/stream", "cookie", 200},
		{lanPeer, false, "/api/tracks/" + id + "/stream", "bearer", 200},
		{lanPeer, false, "/api/tracks/" + id + "/cover", "", 401},
		{lanPeer, false, "/api/tracks/" + id + "/cover", "query", 404}, // authorised; the WAV has no cover
		{lanPeer, false, "/api/tracks/" + id + "/cover", "bad query", 401},
		{lanPeer, false, "/api/tracks/x/y/stream", "query", 401},
		// Public: what the pairing page links, nothing else.
		{lanPeer, false, "/style.css", "", 200},
		{lanPeer, false, "/icon.svg", "", 200},
		{lanPeer, false, "/style.css", "bad bearer", 200},
		// IPv6 and unparseable peers are LAN peers.
		{lanPeer6, false, "/api/tracks", "", 401},
		{lanPeer6, false, "/api/tracks", "bearer", 200},
		{"not-an-address", false, "/api/tracks", "", 401},
		{"not-an-address", false, "/api/tracks", "bearer", 200},
		// Loopback is trusted by default, whatever it sends.
		{loopPeer, false, "/", "", 200},
		{loopPeer, false, "/api/tracks", "", 200},
		{loopPeer, false, "/api/tracks", "bad bearer", 200},
		{loopPeer, false, "/api/tracks/" + id + "/stream", "", 200},
		{loopPeer6, false, "/api/tracks", "", 200},
		{mappedLo, false, "/api/tracks", "", 200},
		{"127.0.0.2:80", false, "/api/tracks", "", 200},
		// ... unless RequireKeyOnLoopback.
		{loopPeer, true, "/", "", 401},
		{loopPeer, true, "/api/tracks", "", 401},
		{loopPeer, true, "/api/tracks", "bad bearer", 401},
		{loopPeer, true, "/api/tracks", "cookie", 200},
		{loopPeer, true, "/api/tracks", "bearer", 200},
		{loopPeer, true, "/api/tracks/" + id + "/stream", "query", 200},
		{loopPeer6, true, "/api/tracks", "", 401},
		{loopPeer, true, "/style.css", "", 200},
	}
	for _, tt := range tests {
		s, trackID := authServer(t, Options{RequireKeyOnLoopback: tt.needLoop}, newClock())
		target, header := credential(tt.cred, testKey, strings.ReplaceAll(tt.target, id, trackID))
		rec := send(s.Handler(), http.MethodGet, target, tt.peer, header)
		name := fmt.Sprintf("GET %s from %s with %q (key on loopback %v)", tt.target, tt.peer, tt.cred, tt.needLoop)
		if rec.Code != tt.want {
			t.Errorf("%s = %d, want %d", name, rec.Code, tt.want)
			continue
		}
		if rec.Code != http.StatusUnauthorized {
			continue
		}
		if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="Earshot"` {
			t.Errorf("%s: WWW-Authenticate = %q", name, got)
		}
		if strings.HasPrefix(tt.target, "/api/") {
			if msg := jsonError(t, rec); msg != "access key required" {
				t.Errorf("%s: error %q, want %q", name, msg, "access key required")
			}
		} else if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type = %q, want HTML", name, ct)
		}
	}
}

// TestAuthPageShape checks the 401 page: the right title and text, nothing
// the CSP would block, and only public links.
func TestAuthPageShape(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	rec := send(s.Handler(), http.MethodGet, "/", lanPeer, nil)
	body := rec.Body.String()
	for _, want := range []string{"<title>Earshot — pair this device</title>", "QR code", "Earshot window", "open the link", `href="/style.css"`} {
		if !strings.Contains(body, want) {
			t.Errorf("401 page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<style", "style=", "onload", "javascript:"} {
		if strings.Contains(strings.ToLower(body), bad) {
			t.Errorf("401 page contains %q, which the CSP blocks", bad)
		}
	}
	for _, m := range regexp.MustCompile(`(?:href|src)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if !publicRoute(s, m[1]) {
			t.Errorf("401 page links %s, which an unpaired device cannot load", m[1])
		}
		if rec := send(s.Handler(), http.MethodGet, m[1], lanPeer, nil); rec.Code != http.StatusOK {
			t.Errorf("GET %s, linked from the 401 page, = %d, want 200", m[1], rec.Code)
		}
	}
	if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'self'") {
		t.Errorf("401 page CSP = %q", got)
	}
}

func TestPairSetsCookie(t *testing.T) {
	for _, peer := range []string{lanPeer, lanPeer6, loopPeer} {
		s, _ := authServer(t, Options{}, newClock())
		rec := send(s.Handler(), http.MethodGet, "/pair?key="+testKey, peer, nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("GET /pair?key=<key> from %s = %d, want 303", peer, rec.Code)
		}
		if loc := rec.Header().Get("Location"); loc != "/" {
			t.Errorf("Location = %q, want /", loc)
		}
		want := SessionCookie + "=" + wantSession(testKey) + "; Path=/; Max-Age=34560000; HttpOnly; SameSite=Strict"
		if got := rec.Header().Values("Set-Cookie"); len(got) != 1 || got[0] != want {
			t.Errorf("Set-Cookie = %q, want %q", got, want)
		}
		if strings.Contains(rec.Header().Get("Set-Cookie"), testKey) {
			t.Errorf("the cookie holds the raw key")
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", got)
		}

		// The browser now sends the cookie it was given.
		cookies := rec.Result().Cookies()
		req := httptest.NewRequest(http.MethodGet, "/api/tracks", nil)
		req.RemoteAddr = lanPeer
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec = httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("GET /api/tracks with the paired cookie = %d, want 200", rec.Code)
		}
	}
}

func TestPairRefused(t *testing.T) {
	tests := []struct {
		method, target string
		want           int
	}{
		{http.MethodGet, "/pair", 401},
		{http.MethodGet, "/pair?key=", 401},
		{http.MethodGet, "/pair?key=wrong", 401},
		{http.MethodGet, "/pair?key=" + testKey + "x", 401},
		{http.MethodGet, "/pair?key=" + strings.ToUpper(testKey), 401},
		{http.MethodGet, "/pair?KEY=" + testKey, 401},
		{http.MethodPost, "/pair?key=" + testKey, 405},
	}
	for _, tt := range tests {
		s, _ := authServer(t, Options{}, newClock())
		rec := send(s.Handler(), tt.method, tt.target, lanPeer, nil)
		if rec.Code != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.target, rec.Code, tt.want)
		}
		if c := rec.Header().Get("Set-Cookie"); c != "" {
			t.Errorf("%s %s set a cookie: %q", tt.method, tt.target, c)
		}
		if tt.want == 401 && !strings.Contains(rec.Body.String(), "pair this device") {
			t.Errorf("%s %s: body is not the pairing page: %q", tt.method, tt.target, rec.Body)
		}
	}
}

// TestAuthResetKey checks that every way of presenting the old key stops
// working once the key is reset, and that a stale cookie is deleted.
func TestAuthResetKey(t *testing.T) {
	s, id := authServer(t, Options{}, newClock())
	stream := "/api/tracks/" + id + "/stream"
	for _, cred := range []string{"cookie", "bearer", "query"} {
		target, h := credential(cred, testKey, stream)
		if rec := send(s.Handler(), http.MethodGet, target, lanPeer, h); rec.Code != http.StatusOK {
			t.Fatalf("before the reset, %s = %d, want 200", cred, rec.Code)
		}
	}
	newKey := s.ResetKey()
	for _, cred := range []string{"cookie", "bearer", "query"} {
		target, h := credential(cred, testKey, stream)
		rec := send(s.Handler(), http.MethodGet, target, lanPeer, h)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("after the reset, the old %s = %d, want 401", cred, rec.Code)
		}
		cleared := rec.Header().Get("Set-Cookie") == SessionCookie+"=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
		if cleared != (cred == "cookie") {
			t.Errorf("after the reset, the old %s: Set-Cookie = %q", cred, rec.Header().Get("Set-Cookie"))
		}
	}
	for _, cred := range []string{"cookie", "bearer", "query"} {
		target, h := credential(cred, newKey, stream)
		if rec := send(s.Handler(), http.MethodGet, target, lanPeer, h); rec.Code != http.StatusOK {
			t.Errorf("the new %s = %d, want 200", cred, rec.Code)
		}
	}
}

// TestAuthEmptyKey checks that a server whose key was set to "" opens to
// no one, rather than to everyone who sends an empty key.
func TestAuthEmptyKey(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	s.pairing.setKey("")
	for _, target := range []string{"/pair?key=", "/pair"} {
		if rec := send(s.Handler(), http.MethodGet, target, lanPeer, nil); rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s with an empty server key = %d, want 401", target, rec.Code)
		}
	}
	h := http.Header{"Authorization": {"Bearer "}}
	if rec := send(s.Handler(), http.MethodGet, "/api/tracks", lanPeer2, h); rec.Code != http.StatusUnauthorized {
		t.Errorf("empty bearer with an empty server key = %d, want 401", rec.Code)
	}
}

func TestAuthLANOff(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	s.lis.lan.Store(false)
	tests := []struct {
		peer, target, cred string
		want               int
	}{
		{lanPeer, "/api/tracks", "bearer", 403},
		{lanPeer, "/", "cookie", 403},
		{lanPeer, "/style.css", "", 403},
		{lanPeer, "/pair?key=" + testKey, "", 403},
		{lanPeer6, "/api/tracks", "bearer", 403},
		{"not-an-address", "/api/tracks", "bearer", 403},
		{loopPeer, "/api/tracks", "", 200},
		{loopPeer6, "/", "", 200},
	}
	for _, tt := range tests {
		target, h := credential(tt.cred, testKey, tt.target)
		rec := send(s.Handler(), http.MethodGet, target, tt.peer, h)
		if rec.Code != tt.want {
			t.Errorf("LAN off: GET %s from %s = %d, want %d", tt.target, tt.peer, rec.Code, tt.want)
			continue
		}
		if tt.want == 403 {
			if msg := jsonError(t, rec); msg != "this server only accepts connections from its own computer" {
				t.Errorf("LAN off: GET %s from %s: error %q", tt.target, tt.peer, msg)
			}
		}
	}
}

// TestAuthLimit walks one address through ten failures, the lock-out of
// wrong keys that follows (the right key still passes), and its end a
// minute on.
func TestAuthLimit(t *testing.T) {
	clock := newClock()
	s, id := authServer(t, Options{}, clock)
	stream := "/api/tracks/" + id + "/stream"
	steps := []struct {
		advance   time.Duration
		peer      string
		target    string
		cred      string
		want      int
		wantRetry string // Retry-After on a 429
	}{
		// Requests without credentials are not failures.
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/api/tracks", "", 401, ""},
		{0, lanPeer, "/app.js", "", 401, ""},
		{0, lanPeer, "/api/status", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/", "", 401, ""},
		{0, lanPeer, "/api/tracks", "bearer", 200, ""},
		// Ten failures of every kind.
		{0, lanPeer, "/api/tracks", "bad bearer", 401, ""},
		{0, lanPeer, "/api/tracks", "bad cookie", 401, ""},
		{0, lanPeer, stream, "bad query", 401, ""},
		{0, lanPeer, "/pair?key=nope", "", 401, ""},
		{0, lanPeer, "/pair", "", 401, ""},
		{time.Second, lanPeer, "/", "bad bearer", 401, ""},
		{0, lanPeer, "/", "bad cookie", 401, ""},
		{0, lanPeer, "/api/tracks/" + id + "/cover", "bad query", 401, ""},
		{0, lanPeer, "/api/tracks", "bad bearer", 401, ""},
		// After nine, a right key still works.
		{0, lanPeer, "/api/tracks", "bearer", 200, ""},
		{0, lanPeer, "/pair?key=still-wrong", "", 401, ""},
		// Ten: wrong keys are refused with 429, every way they are sent ...
		{0, lanPeer, "/api/tracks", "bad bearer", 429, "59"},
		{0, lanPeer, "/", "bad cookie", 429, "59"},
		{0, lanPeer, stream, "bad query", 429, "59"},
		{0, lanPeer, "/pair?key=nope", "", 429, "59"},
		{0, lanPeer, "/pair", "", 429, "59"},
		// ... while the right key still passes (issue 9, hole 5).
		{0, lanPeer, "/api/tracks", "bearer", 200, ""},
		{0, lanPeer, "/", "cookie", 200, ""},
		{0, lanPeer, stream, "query", 200, ""},
		{0, lanPeer, "/pair?key=" + testKey, "", 303, ""},
		// A request without credentials is still just a 401.
		{0, lanPeer, "/api/tracks", "", 401, ""},
		{0, lanPeer, "/style.css", "", 200, ""},
		// Other addresses are unaffected.
		{0, lanPeer2, "/api/tracks", "bad bearer", 401, ""},
		{0, lanPeer6, "/api/tracks", "bad bearer", 401, ""},
		{0, loopPeer, "/api/tracks", "", 200, ""},
		// Retry-After counts down, rounded up.
		{29*time.Second + 500*time.Millisecond, lanPeer, "/api/tracks", "bad bearer", 429, "30"},
		{29 * time.Second, lanPeer, "/api/tracks", "bad bearer", 429, "1"},
		// The minute since the first failure has passed.
		{500 * time.Millisecond, lanPeer, "/api/tracks", "bad bearer", 401, ""},
		{0, lanPeer, "/pair?key=" + testKey, "", 303, ""},
	}
	for i, st := range steps {
		clock.advance(st.advance)
		target, h := credential(st.cred, testKey, st.target)
		rec := send(s.Handler(), http.MethodGet, target, st.peer, h)
		if rec.Code != st.want {
			t.Fatalf("step %d: GET %s from %s with %q = %d, want %d", i, st.target, st.peer, st.cred, rec.Code, st.want)
		}
		if got := rec.Header().Get("Retry-After"); got != st.wantRetry {
			t.Errorf("step %d: Retry-After = %q, want %q", i, got, st.wantRetry)
		}
		if st.want != 429 {
			continue
		}
		if c := rec.Header().Get("Set-Cookie"); c != "" {
			t.Errorf("step %d: a 429 set a cookie: %q", i, c)
		}
		if strings.HasPrefix(st.target, "/api/") {
			if msg := jsonError(t, rec); msg != "too many attempts" {
				t.Errorf("step %d: error %q", i, msg)
			}
		} else if ct := rec.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("step %d: Content-Type = %q, want text", i, ct)
		}
	}
}

// TestLimitIPv6Prefix checks that IPv6 addresses are counted per /64, so
// hopping between temporary addresses does not buy more attempts.
func TestLimitIPv6Prefix(t *testing.T) {
	clock := newClock()
	l := newFailureLimiter()
	l.now = clock.now
	for i := range maxFailures {
		l.fail(netip.MustParseAddr(fmt.Sprintf("2001:db8:0:1::%x", i+1)))
	}
	tests := []struct {
		addr string
		want bool
	}{
		{"2001:db8:0:1::ffff", true},
		{"2001:db8:0:1:abcd:ef01:2345:6789", true},
		{"2001:db8:0:2::1", false},
		{"192.0.2.1", false},
	}
	for _, tt := range tests {
		if _, got := l.blocked(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("blocked(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestLimitKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.0.2.7", "192.0.2.7/32"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"::1", "::/64"},
	}
	for _, tt := range tests {
		if got := limitKey(netip.MustParseAddr(tt.in)).String(); got != tt.want {
			t.Errorf("limitKey(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := limitKey(netip.Addr{}); got.IsValid() {
		t.Errorf("limitKey(invalid) = %s, want the zero prefix", got)
	}
}

// TestLimitBounded floods the limiter with 100,000 addresses: it remembers
// at most maxLimited, still blocks a recent offender, and forgets
// everything once the window has passed.
func TestLimitBounded(t *testing.T) {
	clock := newClock()
	l := newFailureLimiter()
	l.now = clock.now
	for i := range 100_000 {
		l.fail(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
		if n := l.size(); n > maxLimited {
			t.Fatalf("after %d addresses the limiter holds %d, want at most %d", i+1, n, maxLimited)
		}
	}
	if n := l.order.Len(); n != l.size() {
		t.Errorf("order list holds %d, map %d", n, l.size())
	}
	recent := netip.MustParseAddr("192.0.2.99")
	for range maxFailures {
		l.fail(recent)
	}
	if _, ok := l.blocked(recent); !ok {
		t.Errorf("a recent offender is not blocked in a full limiter")
	}
	clock.advance(failureWindow)
	if _, ok := l.blocked(recent); ok {
		t.Errorf("still blocked after the window")
	}
	if n := l.size(); n != 0 {
		t.Errorf("after the window the limiter holds %d addresses, want 0", n)
	}
}

// TestAuthConcurrent sends requests from many goroutines at once, for the
// race detector: the limiter and the device log are shared.
func TestAuthConcurrent(t *testing.T) {
	s, id := authServer(t, Options{}, newClock())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			peer := fmt.Sprintf("192.0.2.%d:5555", 100+g)
			for i := range 20 {
				cred := "bearer"
				if i%2 == 1 {
					cred = "bad bearer"
				}
				target, h := credential(cred, testKey, "/api/tracks/"+id+"/stream")
				send(s.Handler(), http.MethodGet, target, peer, h)
			}
		})
	}
	wg.Wait()
	if n := len(s.Devices()); n != 8 {
		t.Errorf("Devices() lists %d devices, want 8", n)
	}
}
