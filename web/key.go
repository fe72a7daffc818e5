package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"sync/atomic"
)

// keyBytes is the access key's length: 160 random bits, above the 128 the
// pairing design asks for, in 27 URL-safe characters.
const keyBytes = 20

// NewKey returns a new random access key from crypto/rand, base64url
// without padding. (Since Go 1.24 [rand.Read] never fails: it crashes the
// program instead, so there is no error to return.)
func NewKey() string {
	b := make([]byte, keyBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// pairing is what decides whether a device is paired: the access key (and
// the session cookie value derived from it), whether this computer needs
// the key too, the failed-attempt limiter, and the log of the devices
// behind authorised requests. Safe for concurrent use.
type pairing struct {
	current         atomic.Pointer[keySecret]
	loopbackNeedKey atomic.Bool
	limiter         *failureLimiter
	devices         *deviceLog
}

// keySecret is an access key with its session cookie value ([sessionValue]),
// computed once per key rather than once per request.
type keySecret struct{ key, session string }

// newPairing returns a pairing with key, an empty limiter and device log.
func newPairing(key string, loopbackNeedKey bool) *pairing {
	p := &pairing{limiter: newFailureLimiter(), devices: newDeviceLog()}
	p.setKey(key)
	p.loopbackNeedKey.Store(loopbackNeedKey)
	return p
}

// setKey replaces the key.
func (p *pairing) setKey(key string) {
	p.current.Store(&keySecret{key: key, session: sessionValue(key)})
}

// secrets returns the key and its session cookie value.
func (p *pairing) secrets() (key, session string) {
	s := p.current.Load()
	return s.key, s.session
}

// Key returns the current access key.
func (p *pairing) Key() string { return p.current.Load().key }

// Key returns the current access key. Callers store it with the app's
// settings so that paired devices stay paired across restarts.
func (s *Server) Key() string { return s.pairing.Key() }

// ResetKey replaces the access key with a new one from [NewKey] and
// returns it for the caller to store. Every device paired with the old key
// — its cookie, bearer token or ?key= link — is refused from then on.
func (s *Server) ResetKey() string {
	key := NewKey()
	s.pairing.setKey(key)
	return key
}

// PairingURL returns the link that pairs a device: base (the URL of one of
// [Server.Addresses]) followed by /pair?key=<key>.
func (s *Server) PairingURL(base string) string {
	return base + "/pair?key=" + url.QueryEscape(s.Key())
}

// RequireKeyOnLoopback sets whether requests from this computer need the
// key too (by default they are trusted, so "Open in browser" just works).
func (s *Server) RequireKeyOnLoopback(require bool) { s.pairing.loopbackNeedKey.Store(require) }
