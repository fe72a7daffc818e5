package web

import (
	"fmt"
	"net/http"
	"strings"
)

// access says who may call a route. The zero value is invalid, so a route
// that does not say fails [route.check].
type access uint8

const (
	_ access = iota
	// public routes answer anyone, paired or not: /pair itself and the
	// files the pairing page links. None holds library data.
	public
	// paired routes answer a paired device (session cookie or
	// "Authorization: Bearer <key>") and, unless
	// [Options.RequireKeyOnLoopback], this computer's browser (a loopback
	// peer whose Host names this computer; see [hostNames.local]).
	paired
	// pairedOrQueryKey routes are paired routes that also take ?key=<key>,
	// for external players (VLC, mpv) that cannot send headers or cookies.
	// Elsewhere ?key= would leak the key into history and logs for no gain.
	pairedOrQueryKey
	// appPassword routes are the Subsonic API's: the handler checks the
	// app's credentials itself (u with p or t and s, or apiKey), from this
	// computer too, and counts wrong ones in the page's failure limiter.
	// The page's key and cookie do not open them; and since a browser
	// cannot attach those credentials by itself, a form POST needs no
	// same-origin check.
	appPassword
)

// encoding says whether a route's answers may pass through gzip. The zero
// value is invalid.
type encoding uint8

const (
	_ encoding = iota
	// gzipOK answers (JSON) are gzipped for clients that accept it; see
	// [compress].
	gzipOK
	// identity answers never pass through [compress]: media must stay
	// byte-exact for Range requests and ETags, events must arrive as they
	// happen, and the static page compresses itself ([staticSite.serve]).
	identity
)

// stallPolicy says who bounds a stalled client's writes. The zero value is
// invalid.
type stallPolicy uint8

const (
	_ stallPolicy = iota
	// stallPerWrite answers get the server's per-write deadline: every
	// write must make progress within [Options.StallTimeout] (see
	// [stallWriter]).
	stallPerWrite
	// stallOwned handlers set up their own deadlines: streams, covers and
	// thumbnails ([newStallWriter] around [http.ServeContent]) and the
	// event stream ([sseWriter]).
	stallOwned
)

// answers says in which shape the authorisation errors of a route (401,
// 403, 429) are written. The zero value is invalid.
type answers uint8

const (
	_ answers = iota
	// apiAnswers are JSON {"error":"…"}.
	apiAnswers
	// pageAnswers are for a browser: the pairing page on a 401, text else.
	pageAnswers
)

// anyMethod, alone in a route's methods, takes every method.
const anyMethod = "*"

// route is one entry of the route table: a pattern and the rules that the
// middlewares read. Nothing outside the table decides by URL path.
type route struct {
	// pattern is an [http.ServeMux] pattern without a method, e.g.
	// "/api/tracks/{id}/stream".
	pattern string
	// methods are the methods the handler takes (GET implies HEAD); others
	// get a 405 with Allow (see [allow]). [anyMethod] takes every method.
	methods []string
	handler http.HandlerFunc
	answers answers
	access  access
	enc     encoding
	stall   stallPolicy
}

// routeTable returns the server's routes and their rules.
func (s *Server) routeTable() []route {
	get, getHead := []string{http.MethodGet}, []string{http.MethodGet, http.MethodHead}
	static := staticHandler().ServeHTTP
	return []route{
		{"/api/status", get, s.status, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/events", get, s.events(), apiAnswers, paired, identity, stallOwned},
		{"/api/tracks", get, s.tracks, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/tracks/{id}", get, s.track, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/tracks/{id}/stream", getHead, s.stream, apiAnswers, pairedOrQueryKey, identity, stallOwned},
		{"/api/tracks/{id}/stream.wav", getHead, s.streamTranscode, apiAnswers, pairedOrQueryKey, identity, stallOwned},
		{"/api/tracks/{id}/stream.mp3", getHead, s.streamTranscode, apiAnswers, pairedOrQueryKey, identity, stallOwned},
		{"/api/tracks/{id}/play", get, s.play, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/tracks/{id}/lyrics", get, s.lyrics, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/playlist-files", get, s.playlistFiles, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/playlist-files/{id}", get, s.playlistFile, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/device/caps", []string{http.MethodPost}, s.deviceCaps, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/tracks/{id}/cover", get, s.cover, apiAnswers, pairedOrQueryKey, identity, stallOwned},
		{"/api/albums", get, s.albums, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/albums/{id}", get, s.album, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/artists", get, s.artists, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/artists/{id}", get, s.artist, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/genres", get, s.genres, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/genres/{id}", get, s.genre, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/folders", get, s.folder, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/search", get, s.searchAll, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/videos", get, s.videos, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/uploads", []string{http.MethodPost}, s.up.create, apiAnswers, paired, identity, stallOwned},
		{"/api/uploads/{id}", []string{http.MethodGet, http.MethodPatch, http.MethodDelete}, s.up.file, apiAnswers, paired, identity, stallOwned},
		{"/api/playlists", []string{http.MethodGet, http.MethodPost}, s.playlists, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/playlists/{id}", []string{http.MethodGet, http.MethodPut, http.MethodDelete}, s.playlist, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/playlists/{id}/tracks", []string{http.MethodPost}, s.playlistTracks, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/stars", []string{http.MethodPost, http.MethodDelete}, s.stars, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/favourites", get, s.favourites, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/plays", []string{http.MethodPost}, s.plays, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/history", get, s.history, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/tracks/{id}/position", []string{http.MethodPut}, s.position, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/problems", get, s.problems, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/", []string{anyMethod}, apiNotFound, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/app-passwords", []string{http.MethodGet, http.MethodPost}, s.appPasswords, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/api/app-passwords/{id}", []string{http.MethodDelete}, s.revokeAppPassword, apiAnswers, paired, gzipOK, stallPerWrite},
		{"/rest/", []string{http.MethodGet, http.MethodPost}, s.sub.ServeHTTP, apiAnswers, appPassword, identity, stallOwned},
		{"/pair", getHead, s.pair, pageAnswers, public, identity, stallPerWrite},
		{"/style.css", get, static, pageAnswers, public, identity, stallPerWrite},
		{"/icon.svg", get, static, pageAnswers, public, identity, stallPerWrite},
		{"/", get, static, pageAnswers, paired, identity, stallPerWrite},
	}
}

// apiNotFound answers an /api/ path that no route serves.
func apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "not found")
}

// check returns an error when rt lacks a rule, a handler or methods.
func (rt *route) check() error {
	switch {
	case !strings.HasPrefix(rt.pattern, "/"):
		return fmt.Errorf("route %q: pattern must be a path without a method", rt.pattern)
	case rt.handler == nil:
		return fmt.Errorf("route %q: no handler", rt.pattern)
	case len(rt.methods) == 0:
		return fmt.Errorf("route %q: no methods", rt.pattern)
	case rt.answers < apiAnswers || rt.answers > pageAnswers:
		return fmt.Errorf("route %q: no error shape", rt.pattern)
	case rt.access < public || rt.access > appPassword:
		return fmt.Errorf("route %q: no access rule", rt.pattern)
	case rt.enc < gzipOK || rt.enc > identity:
		return fmt.Errorf("route %q: no compression rule", rt.pattern)
	case rt.stall < stallPerWrite || rt.stall > stallOwned:
		return fmt.Errorf("route %q: no stall policy", rt.pattern)
	}
	return nil
}

// takes reports whether rt's handler accepts method (GET implies HEAD).
func (rt *route) takes(method string) bool {
	for _, m := range rt.methods {
		if m == anyMethod || m == method || (m == http.MethodGet && method == http.MethodHead) {
			return true
		}
	}
	return false
}

// buildHandler returns the handler that serves routes: one [http.ServeMux]
// whose every entry is the route's handler wrapped in the middlewares its
// rules ask for, inside the blanket ones every answer gets
// ([securityHeaders], and [Server.lanOnly]). It returns the first route
// that fails [route.check], and an error for a pattern the mux refuses.
func (s *Server) buildHandler(routes []route) (h http.Handler, err error) {
	mux := http.NewServeMux()
	defer func() {
		if p := recover(); p != nil { // ServeMux panics on a bad or duplicate pattern
			h, err = nil, fmt.Errorf("%v", p)
		}
	}()
	for i := range routes {
		rt := &routes[i]
		if err := rt.check(); err != nil {
			return nil, err
		}
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	return securityHeaders(s.lanOnly(mux)), nil
}

// wrap returns rt's handler inside the middlewares of its rules, outermost
// first: [Server.authorize], [allow], the per-write stall deadline, then
// [compress].
func (s *Server) wrap(rt *route) http.Handler {
	h := http.Handler(rt.handler)
	if rt.enc == gzipOK {
		h = compress(h)
	}
	if rt.stall == stallPerWrite {
		h = s.stallEach(h)
	}
	if rt.methods[0] != anyMethod {
		h = allow(h.ServeHTTP, rt.methods...)
	}
	return s.authorize(rt, h)
}
