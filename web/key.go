package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
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

// Key returns the current access key. Callers store it with the app's
// settings so that paired devices stay paired across restarts.
func (s *Server) Key() string { return *s.key.Load() }

// SetKey replaces the access key. Every device paired with the old key —
// its cookie, bearer token or ?key= link — is refused from then on.
func (s *Server) SetKey(key string) { s.key.Store(&key) }

// ResetKey makes a new key with [NewKey], sets it with [Server.SetKey] and
// returns it for the caller to store.
func (s *Server) ResetKey() string {
	key := NewKey()
	s.SetKey(key)
	return key
}

// PairingURL returns the link that pairs a device: base (one of
// [Server.URLs]) followed by /pair?key=<key>.
func (s *Server) PairingURL(base string) string {
	return base + "/pair?key=" + url.QueryEscape(s.Key())
}

// RequireKeyOnLoopback sets whether requests from this computer need the
// key too (by default they are trusted, so "Open in browser" just works).
func (s *Server) RequireKeyOnLoopback(require bool) { s.loopbackNeedKey.Store(require) }
