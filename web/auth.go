package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// SessionCookie is the name of the cookie that [Server] sets on a device
// paired through /pair. Its value is derived from the access key (see
// [sessionValue]), so the key itself is never stored in the browser.
const SessionCookie = "earshot_session"

// sessionMaxAge is the session cookie's lifetime in seconds: 400 days, the
// longest that browsers honour (RFC 6265bis §5.6.1 caps Max-Age there).
const sessionMaxAge = 400 * 24 * 60 * 60

// publicPaths are the only paths served to an unpaired device besides
// /pair: the files the pairing page itself links. None holds library data.
var publicPaths = map[string]bool{"/style.css": true, "/icon.svg": true}

// sessionValue returns the session cookie's value for key:
// base64url(HMAC-SHA256(key, "earshot session v1")), 43 characters. A new
// key gives a new value, so [Server.SetKey] unpairs every device.
func sessionValue(key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("earshot session v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sessionCookie returns the cookie /pair sets for key: host-only, for the
// whole site, HttpOnly, SameSite=Strict and not Secure, because Earshot
// speaks plain HTTP on the LAN and a Secure cookie would never be sent.
func sessionCookie(key string) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: sessionValue(key), Path: "/",
		MaxAge: sessionMaxAge, HttpOnly: true, SameSite: http.SameSiteStrictMode}
}

// matches reports whether the presented secret equals want, in time that
// depends only on their lengths ([subtle.ConstantTimeCompare]), so a guesser
// cannot learn how many leading characters were right. An empty want
// matches nothing, so a key set to "" by mistake does not open the server.
func matches(presented, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(presented), []byte(want)) == 1
}

// peerAddr returns the IP address of the request's TCP peer from
// r.RemoteAddr, with IPv4-mapped IPv6 addresses unmapped. Headers such as
// X-Forwarded-For are ignored: any device could forge them. ok is false when
// RemoteAddr holds no IP address; such a peer is treated as a LAN device.
func peerAddr(r *http.Request) (addr netip.Addr, ok bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err = netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap().WithZone(""), true
}

// trackPath returns the track ID in a path of the form /api/tracks/{id}/<leaf>,
// and ok false for any other path. It is strict (one clean segment), so a
// path it accepts is one the mux routes to that leaf's handler.
func trackPath(path, leaf string) (id string, ok bool) {
	rest, found := strings.CutPrefix(path, "/api/tracks/")
	if !found {
		return "", false
	}
	id, found = strings.CutSuffix(rest, "/"+leaf)
	if !found || id == "" || id == "." || id == ".." || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// credentials are the access proofs a request presents. A field is nil
// when that kind is absent; an empty value still counts as presented.
type credentials struct {
	cookies []string // values of every earshot_session cookie
	bearer  *string  // the token of an "Authorization: Bearer" header
	query   *string  // ?key= on a stream or cover URL
}

// credentialsOf collects r's credentials. ?key= is honoured only on stream
// and cover URLs, for external players that cannot send headers or cookies;
// elsewhere it would leak the key into history and logs for no gain.
func credentialsOf(r *http.Request) credentials {
	var c credentials
	for _, ck := range r.CookiesNamed(SessionCookie) {
		c.cookies = append(c.cookies, ck.Value)
	}
	// The auth scheme is case-insensitive (RFC 9110 §11.1).
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		token = strings.TrimSpace(token)
		c.bearer = &token
	}
	_, stream := trackPath(r.URL.Path, "stream")
	_, cover := trackPath(r.URL.Path, "cover")
	if q := r.URL.Query(); (stream || cover) && q.Has("key") {
		k := q.Get("key")
		c.query = &k
	}
	return c
}

// present reports whether c holds any credential at all.
func (c credentials) present() bool {
	return len(c.cookies) > 0 || c.bearer != nil || c.query != nil
}

// valid reports whether any of c proves knowledge of key. Every presented
// credential is compared, each in constant time.
func (c credentials) valid(key string) bool {
	if key == "" {
		return false
	}
	ok := false
	session := sessionValue(key)
	for _, v := range c.cookies {
		ok = matches(v, session) || ok
	}
	if c.bearer != nil {
		ok = matches(*c.bearer, key) || ok
	}
	if c.query != nil {
		ok = matches(*c.query, key) || ok
	}
	return ok
}

// authorize wraps h with Earshot's access control ("Phones on the LAN"):
//
//   - With LAN access off, a peer other than this computer gets 403.
//   - GET /pair?key=K is answered here (see [Server.pair]).
//   - /style.css and /icon.svg, which the pairing page links, are public.
//   - Loopback peers are trusted unless [Options.RequireKeyOnLoopback].
//   - Anyone else needs the session cookie, "Authorization: Bearer <key>",
//     or ?key=<key> on /api/tracks/{id}/stream and /cover; else 401.
//   - After [maxFailures] wrong keys in [failureWindow] from one address,
//     every key-bearing request from it gets 429 with Retry-After.
//
// Authorised requests are recorded in the device log ([Server.Devices]).
func (s *Server) authorize(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, ok := peerAddr(r)
		loopback := ok && addr.IsLoopback()
		if !loopback && !s.lan.Load() {
			writeError(w, http.StatusForbidden, "this server only accepts connections from its own computer")
			return
		}
		if r.URL.Path == "/pair" {
			s.pair(w, r, addr)
			return
		}
		if publicPaths[r.URL.Path] {
			h.ServeHTTP(w, r)
			return
		}
		if !loopback || s.loopbackNeedKey.Load() {
			creds := credentialsOf(r)
			if !creds.present() {
				unauthorized(w, r, false)
				return
			}
			if wait, blocked := s.limiter.blocked(addr); blocked {
				tooManyAttempts(w, r, wait)
				return
			}
			if !creds.valid(s.Key()) {
				s.limiter.fail(addr)
				unauthorized(w, r, len(creds.cookies) > 0)
				return
			}
		}
		s.seen(r, addr, loopback)
		h.ServeHTTP(w, r)
	})
}

// pair answers /pair?key=K. A right key sets the session cookie and answers
// 303 See Other to /, so the key leaves the address bar and the history
// (Referrer-Policy: no-referrer keeps it out of Referer headers too). A
// wrong or missing key counts as a failed attempt and gets the 401 page.
func (s *Server) pair(w http.ResponseWriter, r *http.Request, addr netip.Addr) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if wait, blocked := s.limiter.blocked(addr); blocked {
		tooManyAttempts(w, r, wait)
		return
	}
	key := s.Key()
	if !matches(r.URL.Query().Get("key"), key) {
		s.limiter.fail(addr)
		unauthorized(w, r, false)
		return
	}
	http.SetCookie(w, sessionCookie(key))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
