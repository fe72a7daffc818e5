package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// routeSamples are request paths that must reach each pattern of the route
// table, one per route: [TestRouteTable] fails for a route without one and
// for a sample that reaches another route.
var routeSamples = map[string]string{
	"/api/status":                 "/api/status",
	"/api/events":                 "/api/events",
	"/api/tracks":                 "/api/tracks?offset=1",
	"/api/tracks/{id}":            "/api/tracks/abc",
	"/api/tracks/{id}/stream":     "/api/tracks/abc/stream?key=x",
	"/api/tracks/{id}/stream.wav": "/api/tracks/abc/stream.wav?key=x",
	"/api/tracks/{id}/stream.mp3": "/api/tracks/abc/stream.mp3?key=x",
	"/api/tracks/{id}/play":       "/api/tracks/abc/play?caps=mp3",
	"/api/tracks/{id}/lyrics":     "/api/tracks/abc/lyrics",
	"/api/playlist-files":         "/api/playlist-files",
	"/api/playlist-files/{id}":    "/api/playlist-files/abc",
	"/api/device/caps":            "/api/device/caps",
	"/api/tracks/{id}/cover":      "/api/tracks/abc/cover?size=96",
	"/api/albums":                 "/api/albums",
	"/api/albums/{id}":            "/api/albums/abc",
	"/api/artists":                "/api/artists",
	"/api/artists/{id}":           "/api/artists/abc",
	"/api/genres":                 "/api/genres",
	"/api/genres/{id}":            "/api/genres/abc",
	"/api/folders":                "/api/folders?path=a/b",
	"/api/search":                 "/api/search?q=x",
	"/api/videos":                 "/api/videos",
	"/api/problems":               "/api/problems",
	"/api/playlists":              "/api/playlists",
	"/api/playlists/{id}":         "/api/playlists/1",
	"/api/playlists/{id}/tracks":  "/api/playlists/1/tracks",
	"/api/stars":                  "/api/stars",
	"/api/favourites":             "/api/favourites",
	"/api/plays":                  "/api/plays",
	"/api/history":                "/api/history?view=recent",
	"/api/tracks/{id}/position":   "/api/tracks/abc/position",
	"/api/uploads":                "/api/uploads",
	"/api/uploads/{id}":           "/api/uploads/0123456789abcdef0123456789abcdef",
	"/api/":                       "/api/nothing/here",
	"/api/app-passwords":          "/api/app-passwords",
	"/api/app-passwords/{id}":     "/api/app-passwords/abc",
	"/rest/":                      "/rest/ping.view?u=earshot&p=x",
	"/pair":                       "/pair?key=x",
	"/style.css":                  "/style.css",
	"/icon.svg":                   "/icon.svg",
	"/":                           "/app.js",
}

// routeOf returns the route of s's table that the mux picks for path, nil
// when none.
func routeOf(s *Server, path string) *route {
	table := s.routeTable()
	mux := http.NewServeMux()
	for _, rt := range table {
		mux.Handle(rt.pattern, http.NotFoundHandler())
	}
	_, pattern := mux.Handler(httptest.NewRequest(http.MethodGet, path, nil))
	for i := range table {
		if table[i].pattern == pattern {
			return &table[i]
		}
	}
	return nil
}

// publicRoute reports whether path is served by a [public] route.
func publicRoute(s *Server, path string) bool {
	rt := routeOf(s, path)
	return rt != nil && rt.access == public
}

// TestRouteTable walks the route table: every route has all its rules, and
// a request to its sample path (sent from this computer, with the key)
// reaches that route's handler and no other.
func TestRouteTable(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	table := s.routeTable()
	seen := map[string]bool{}
	for i := range table {
		rt := &table[i]
		if err := rt.check(); err != nil {
			t.Errorf("route table: %v", err)
		}
		if seen[rt.pattern] {
			t.Errorf("route %q is in the table twice", rt.pattern)
		}
		seen[rt.pattern] = true
		pattern := rt.pattern
		rt.handler = func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Route", pattern) }
	}
	for pattern := range routeSamples {
		if !seen[pattern] {
			t.Errorf("routeSamples names %q, which the table does not serve", pattern)
		}
	}
	h, err := s.buildHandler(table)
	if err != nil {
		t.Fatalf("buildHandler: %v", err)
	}
	for _, rt := range table {
		sample, ok := routeSamples[rt.pattern]
		if !ok {
			t.Errorf("route %q has no sample path in routeSamples", rt.pattern)
			continue
		}
		method := rt.methods[0]
		if method == anyMethod {
			method = http.MethodGet
		}
		rec := send(h, method, sample, lanPeer, http.Header{"Authorization": {"Bearer " + testKey}})
		if got := rec.Header().Get("X-Route"); got != rt.pattern {
			t.Errorf("%s %s reached route %q (status %d), want %q", method, sample, got, rec.Code, rt.pattern)
		}
	}
}

// TestRouteCheck checks that a route missing any rule is refused, the zero
// route first, so that a new route cannot forget one.
func TestRouteCheck(t *testing.T) {
	ok := route{"/x", []string{http.MethodGet}, apiNotFound, apiAnswers, paired, gzipOK, stallPerWrite}
	if err := ok.check(); err != nil {
		t.Fatalf("a complete route: %v", err)
	}
	broken := map[string]func(*route){
		"zero route":   func(rt *route) { *rt = route{} },
		"no pattern":   func(rt *route) { rt.pattern = "" },
		"method in it": func(rt *route) { rt.pattern = "GET /x" },
		"no methods":   func(rt *route) { rt.methods = nil },
		"no handler":   func(rt *route) { rt.handler = nil },
		"no answers":   func(rt *route) { rt.answers = 0 },
		"no access":    func(rt *route) { rt.access = 0 },
		"no encoding":  func(rt *route) { rt.enc = 0 },
		"no stall":     func(rt *route) { rt.stall = 0 },
		"bad access":   func(rt *route) { rt.access = appPassword + 1 },
	}
	for name, breakIt := range broken {
		rt := ok
		breakIt(&rt)
		if err := rt.check(); err == nil {
			t.Errorf("%s: check() = nil, want an error", name)
		}
		s, _ := authServer(t, Options{}, newClock())
		if _, err := s.buildHandler([]route{rt}); err == nil {
			t.Errorf("%s: buildHandler accepted it", name)
		}
	}
	s, _ := authServer(t, Options{}, newClock())
	if _, err := s.buildHandler([]route{ok, ok}); err == nil {
		t.Errorf("buildHandler accepted a pattern twice")
	}
}

// TestRouteRulesApplied checks that the middlewares follow each route's
// rules, with the paths unchanged: the same handler is compressed or not,
// public or not, by its table entry alone.
func TestRouteRulesApplied(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	body := strings.Repeat(`{"a":1}`, 500)
	json := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
	get := []string{http.MethodGet}
	h, err := s.buildHandler([]route{
		{"/zip", get, json, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/raw", get, json, apiAnswers, paired, identity, stallOwned},
		{"/open", get, json, pageAnswers, public, identity, stallPerWrite},
		{"/keyed", get, json, apiAnswers, pairedOrQueryKey, identity, stallOwned},
	})
	if err != nil {
		t.Fatal(err)
	}
	gz := http.Header{"Accept-Encoding": {"gzip"}}
	if rec := do(h, http.MethodGet, "/zip", gz); rec.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("gzipOK route: Content-Encoding = %q, want gzip", rec.Header().Get("Content-Encoding"))
	}
	if rec := do(h, http.MethodGet, "/raw", gz); rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != body {
		t.Errorf("identity route was encoded: %q", rec.Header().Get("Content-Encoding"))
	}
	steps := []struct {
		target string
		want   int
	}{
		{"/open", 200},
		{"/zip", 401},
		{"/zip?key=" + testKey, 401},
		{"/keyed", 401},
		{"/keyed?key=" + testKey, 200},
	}
	for _, st := range steps {
		if rec := send(h, http.MethodGet, st.target, lanPeer, nil); rec.Code != st.want {
			t.Errorf("GET %s from the LAN = %d, want %d", st.target, rec.Code, st.want)
		}
	}
}

// TestMutatingNeedsOrigin checks the rule for requests that may change
// something (issue 9, hole 1): their Origin must be the server's own, and
// without one only a bearer key will do, with a test-only POST route since
// the table has none yet.
func TestMutatingNeedsOrigin(t *testing.T) {
	s, _ := authServer(t, Options{}, newClock())
	wrote := 0
	write := func(w http.ResponseWriter, r *http.Request) { wrote++; w.WriteHeader(http.StatusNoContent) }
	h, err := s.buildHandler(append(s.routeTable(),
		route{"/api/test-write", []string{http.MethodPost}, write, apiAnswers, paired, gzipOK, stallPerWrite}))
	if err != nil {
		t.Fatal(err)
	}
	const own = "http://localhost:8780" // send's Host is localhost:8780
	tests := []struct {
		name, method, peer, cred, origin string
		want                             int
	}{
		{"this computer, own origin", http.MethodPost, loopPeer, "", own, 204},
		{"this computer, origin in capitals", http.MethodPost, loopPeer, "", "HTTP://LOCALHOST:8780", 204},
		{"this computer, no origin", http.MethodPost, loopPeer, "", "-", 403},
		{"this computer, other site", http.MethodPost, loopPeer, "", "http://evil.example", 403},
		{"this computer, other port", http.MethodPost, loopPeer, "", "http://localhost:9999", 403},
		{"this computer, https", http.MethodPost, loopPeer, "", "https://localhost:8780", 403},
		{"this computer, opaque origin", http.MethodPost, loopPeer, "", "null", 403},
		{"phone with cookie, own origin", http.MethodPost, lanPeer, "cookie", own, 204},
		{"phone with cookie, no origin", http.MethodPost, lanPeer, "cookie", "-", 403},
		{"phone with cookie, other site", http.MethodPost, lanPeer, "cookie", "http://evil.example", 403},
		{"client with bearer, no origin", http.MethodPost, lanPeer, "bearer", "-", 204},
		{"this computer, bearer, no origin", http.MethodPost, loopPeer, "bearer", "-", 204},
		{"this computer, wrong bearer, no origin", http.MethodPost, loopPeer, "bad bearer", "-", 403},
		{"client with bearer, other site", http.MethodPost, lanPeer, "bearer", "http://evil.example", 403},
		{"no key", http.MethodPost, lanPeer, "", own, 401},
		{"safe method, other site", http.MethodGet, loopPeer, "", "http://evil.example", 405},
		{"read, other site", http.MethodGet, loopPeer, "", "http://evil.example", 200},
	}
	for _, tt := range tests {
		target, hdr := credential(tt.cred, testKey, "/api/test-write")
		if tt.name == "read, other site" {
			target = "/api/status"
		}
		if tt.origin != "-" {
			hdr.Set("Origin", tt.origin)
		}
		before := wrote
		rec := send(h, tt.method, target, tt.peer, hdr)
		if rec.Code != tt.want {
			t.Errorf("%s: %s %s = %d, want %d", tt.name, tt.method, target, rec.Code, tt.want)
		}
		if ran := wrote > before; ran != (tt.want == 204) {
			t.Errorf("%s: handler ran = %v", tt.name, ran)
		}
	}
}
