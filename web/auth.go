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

// sessionValue returns the session cookie's value for key:
// base64url(HMAC-SHA256(key, "earshot session v1")), 43 characters. A new
// key gives a new value, so [Server.ResetKey] unpairs every device.
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

// credentials are the access proofs a request presents. A field is nil
// when that kind is absent; an empty value still counts as presented.
type credentials struct {
	cookies []string // values of every earshot_session cookie
	bearer  *string  // the token of an "Authorization: Bearer" header
	query   *string  // ?key= on a stream or cover URL
}

// credentialsOf collects r's credentials; ?key= only when queryKey (the
// route's access is [pairedOrQueryKey]).
func credentialsOf(r *http.Request, queryKey bool) credentials {
	var c credentials
	for _, ck := range r.CookiesNamed(SessionCookie) {
		c.cookies = append(c.cookies, ck.Value)
	}
	// The auth scheme is case-insensitive (RFC 9110 §11.1).
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		token = strings.TrimSpace(token)
		c.bearer = &token
	}
	if queryKey && r.URL.RawQuery != "" {
		if q := r.URL.Query(); q.Has("key") {
			k := q.Get("key")
			c.query = &k
		}
	}
	return c
}

// present reports whether c holds any credential at all.
func (c credentials) present() bool {
	return len(c.cookies) > 0 || c.bearer != nil || c.query != nil
}

// valid reports whether any of c proves knowledge of key, whose session
// cookie value is session. Every presented credential is compared, each in
// constant time.
func (c credentials) valid(key, session string) bool {
	if key == "" {
		return false
	}
	ok := false
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

// authorize wraps h, the handler of rt, with Earshot's access control
// ("Phones on the LAN"), read from rt's rules:
//
//   - [public] routes answer anyone (the LAN switch is [Server.lanOnly]'s).
//   - [appPassword] routes (the Subsonic API) pass straight to their
//     handler, which checks the app's own credentials and counts wrong
//     ones in the same limiter ([subsonicGuard]).
//   - A loopback peer whose Host names this computer ([hostNames.local]) is
//     trusted unless [Options.RequireKeyOnLoopback]. Any other Host (DNS
//     rebinding: a page on evil.example resolved to 127.0.0.1) needs the
//     key like a LAN request.
//   - Anyone else needs the session cookie, "Authorization: Bearer <key>",
//     or, on [pairedOrQueryKey] routes, ?key=<key>; else 401.
//   - Valid credentials always pass. A wrong one is counted by the
//     [failureLimiter]; after [maxFailures] in [failureWindow] from one
//     address (IPv6: one /64) wrong ones get 429 with Retry-After, so a
//     guesser on a phone cannot lock out another phone of the same home
//     network that holds the key.
//   - A request that may change something (a method other than GET, HEAD
//     and OPTIONS that rt takes) must also pass [sameOrigin].
//
// Authorised requests are recorded in the device log ([Server.Devices]).
func (s *Server) authorize(rt *route, h http.Handler) http.Handler {
	queryKey := rt.access == pairedOrQueryKey
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, ok := peerAddr(r)
		loopback := ok && addr.IsLoopback()
		var creds credentials
		read := false // whether creds holds r's credentials
		if rt.access == appPassword {
			h.ServeHTTP(w, r) // the Subsonic handler authenticates
			return
		}
		if rt.access != public && (!loopback || s.pairing.loopbackNeedKey.Load() || !s.hosts.local(r.Host)) {
			creds, read = credentialsOf(r, queryKey), true
			if !s.checkCredentials(w, rt, addr, creds) {
				return
			}
		}
		if !safeMethod(r.Method) && rt.takes(r.Method) {
			if !read {
				creds = credentialsOf(r, queryKey)
			}
			if !sameOrigin(r, creds, s.pairing.Key()) {
				writeAnswer(w, rt.answers, http.StatusForbidden, "cross-origin request refused")
				return
			}
		}
		if rt.access != public {
			s.pairing.devices.seen(addr, r.UserAgent(), loopback)
		}
		h.ServeHTTP(w, r)
	})
}

// checkCredentials answers a request that must prove the key and fails to
// (401, or 429 while addr is blocked), and reports whether it passed.
func (s *Server) checkCredentials(w http.ResponseWriter, rt *route, addr netip.Addr, creds credentials) bool {
	if !creds.present() {
		unauthorized(w, rt.answers, false)
		return false
	}
	key, session := s.pairing.secrets()
	if creds.valid(key, session) {
		return true
	}
	if wait, blocked := s.pairing.limiter.blocked(addr); blocked {
		tooManyAttempts(w, rt.answers, wait)
		return false
	}
	s.pairing.limiter.fail(addr)
	unauthorized(w, rt.answers, len(creds.cookies) > 0)
	return false
}

// safeMethod reports whether method is safe (RFC 9110 §9.2.1): it asks
// for nothing to change.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// sameOrigin reports whether a request that may change something comes
// from the server's own page: its Origin header (RFC 6454 §7, which
// browsers send on every such request) must be the server's origin as the
// request addressed it, "http://" + Host, compared case-insensitively.
// Without an Origin the request is from a client that is not a browser,
// and is allowed only when it presents the key itself in an
// "Authorization: Bearer" header, which no page of another site can make a
// browser send; this computer's trust and the session cookie, which a
// browser attaches by itself, are not enough then.
func sameOrigin(r *http.Request, creds credentials, key string) bool {
	origin, ok := r.Header["Origin"]
	if !ok {
		return creds.bearer != nil && matches(*creds.bearer, key)
	}
	return len(origin) == 1 && r.Host != "" && strings.EqualFold(origin[0], "http://"+r.Host)
}

// pair answers GET /pair?key=K, a [public] route. A right key sets the
// session cookie and answers 303 See Other to /, so the key leaves the
// address bar and the history (Referrer-Policy: no-referrer keeps it out
// of Referer headers too). A wrong or missing key counts as a failed
// attempt and gets the 401 page, or 429 while the address is blocked.
func (s *Server) pair(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	addr, _ := peerAddr(r)
	key, _ := s.pairing.secrets()
	if matches(r.URL.Query().Get("key"), key) {
		http.SetCookie(w, sessionCookie(key))
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if wait, blocked := s.pairing.limiter.blocked(addr); blocked {
		tooManyAttempts(w, pageAnswers, wait)
		return
	}
	s.pairing.limiter.fail(addr)
	unauthorized(w, pageAnswers, false)
}

// lanOnly wraps h so that, while LAN access is off, a peer other than this
// computer gets 403 whatever it asks for, and while sharing is paused
// ([Server.SetPaused]) 503.
func (s *Server) lanOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lan, paused := s.lis.lan.Load(), s.paused.Load()
		if !lan || paused {
			if addr, ok := peerAddr(r); !ok || !addr.IsLoopback() {
				if !lan {
					writeError(w, http.StatusForbidden, "this server only accepts connections from its own computer")
				} else {
					w.Header().Set("Retry-After", "60")
					writeError(w, http.StatusServiceUnavailable, errPaused)
				}
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// errPaused is what other devices are told while sharing is paused.
const errPaused = "Sharing is paused on the computer. Resume it from Earshot's tray menu."

// SetPaused pauses sharing (true) or resumes it: while paused, devices
// other than this computer get 503 with [errPaused] for every request and
// their open streams are cut, while this computer is served as before. It
// is not remembered across restarts, unlike [Server.SetLAN].
func (s *Server) SetPaused(paused bool) {
	s.paused.Store(paused)
	if paused {
		s.lis.dropOthers()
	}
}

// Paused reports whether sharing is paused; see [Server.SetPaused].
func (s *Server) Paused() bool { return s.paused.Load() }
