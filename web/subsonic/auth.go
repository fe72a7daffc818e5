package subsonic

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"earshot/player"
)

// passwordBytes is an app password's length: 120 random bits in 20
// URL-safe characters, short enough to type on a phone.
const passwordBytes = 15

// maxAppPasswordName is the longest app password name, in bytes.
const maxAppPasswordName = 100

// passwords are the app passwords: the store's, with a copy in memory so
// that a login reads no database. Safe for concurrent use.
type passwords struct {
	store player.AppPasswordStore

	mu     sync.RWMutex
	loaded bool
	list   []player.AppPassword
}

// newPasswords returns the passwords kept in store, or in memory only
// when store is nil.
func newPasswords(store player.AppPasswordStore) *passwords {
	return &passwords{store: store, loaded: store == nil}
}

// all returns the app passwords, oldest first, loading them once.
func (p *passwords) all() ([]player.AppPassword, error) {
	p.mu.RLock()
	if p.loaded {
		defer p.mu.RUnlock()
		return p.list, nil
	}
	p.mu.RUnlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.loaded {
		list, err := p.store.AppPasswords()
		if err != nil {
			return nil, err
		}
		p.list, p.loaded = list, true
	}
	return p.list, nil
}

// create makes, keeps and returns a new app password named name (trimmed;
// 1 to [maxAppPasswordName] bytes, else player.ErrInvalid).
func (p *passwords) create(name string) (player.AppPassword, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > maxAppPasswordName {
		return player.AppPassword{}, fmt.Errorf("%w: an app password's name must have 1 to %d characters", player.ErrInvalid, maxAppPasswordName)
	}
	if _, err := p.all(); err != nil {
		return player.AppPassword{}, err
	}
	ap := player.AppPassword{ID: randomString(6), Name: name, Password: randomString(passwordBytes), Created: time.Now()}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.store != nil {
		if err := p.store.AddAppPassword(ap); err != nil {
			return player.AppPassword{}, err
		}
	}
	p.list = append(slices.Clip(p.list), ap)
	return ap, nil
}

// revoke forgets the app password with ID id, or returns
// [player.ErrAppPasswordNotFound].
func (p *passwords) revoke(id string) error {
	if _, err := p.all(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	i := slices.IndexFunc(p.list, func(ap player.AppPassword) bool { return ap.ID == id })
	if i < 0 {
		return player.ErrAppPasswordNotFound
	}
	if p.store != nil {
		if err := p.store.RevokeAppPassword(id); err != nil {
			return err
		}
	}
	p.list = slices.Delete(slices.Clone(p.list), i, i+1)
	return nil
}

// randomString returns n random bytes from crypto/rand, base64url.
func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// matchAny reports whether ok holds for any app password; every one is
// checked, so the time taken does not tell which matched.
func (p *passwords) matchAny(ok func(password string) bool) (bool, error) {
	list, err := p.all()
	if err != nil {
		return false, err
	}
	found := false
	for _, ap := range list {
		found = ok(ap.Password) || found
	}
	return found, nil
}

// authenticate checks c's credentials, in one of the three forms the API
// reference and the apiKeyAuthentication extension define: u and p (the
// password in clear or "enc:" and hex), u, t and s (t = md5(password + s)
// in lower-case hex) or apiKey alone (an app password). u must be
// [Username] (ignoring case). It returns error 10 when none is given, 43
// for apiKey with u, p, t or s, 44 for a wrong apiKey and 40 for a wrong
// user or password. Wrong credentials count in the [Guard]; once it blocks
// the address, wrong ones get HTTP 429 with Retry-After and error 40.
func (h *Handler) authenticate(c *call) error {
	key, user := c.get("apiKey"), c.get("u")
	if key == "" && user == "" {
		return apiErr(CodeMissingParam, "required parameter is missing: u (or apiKey)")
	}
	if key != "" && (c.has("u") || c.has("p") || c.has("t") || c.has("s")) {
		return apiErr(CodeConflictingAuth, "multiple conflicting authentication mechanisms provided")
	}
	var check func(string) bool
	wrong := apiErr(CodeWrongCreds, "wrong username or password")
	switch {
	case key != "":
		check = func(pw string) bool { return equal(key, pw) }
		wrong = apiErr(CodeBadAPIKey, "invalid API key")
	case c.has("t"):
		token, salt := strings.ToLower(c.get("t")), c.get("s")
		if salt == "" {
			return apiErr(CodeMissingParam, "required parameter is missing: s")
		}
		check = func(pw string) bool {
			sum := md5.Sum([]byte(pw + salt))
			return equal(token, hex.EncodeToString(sum[:]))
		}
	case c.has("p"):
		pass := c.get("p")
		if rest, ok := strings.CutPrefix(pass, "enc:"); ok {
			b, err := hex.DecodeString(rest)
			if err != nil {
				pass = ""
			} else {
				pass = string(b)
			}
		}
		check = func(pw string) bool { return equal(pass, pw) }
	default:
		return apiErr(CodeMissingParam, "required parameter is missing: p, or t and s")
	}
	found, err := h.pw.matchAny(check)
	if err != nil {
		return err
	}
	if found && (key != "" || strings.EqualFold(user, Username)) {
		h.guard.Passed(c.r)
		return nil
	}
	if wait, blocked := h.guard.Blocked(c.r); blocked {
		c.w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		return &apiError{code: CodeWrongCreds, msg: "too many wrong passwords from this device: try again in a minute", status: http.StatusTooManyRequests}
	}
	h.guard.Fail(c.r)
	return wrong
}

// equal compares two secrets in time that depends only on their lengths.
func equal(presented, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(presented), []byte(want)) == 1
}

// AppPasswords returns the app passwords, oldest first.
func (h *Handler) AppPasswords() ([]player.AppPassword, error) {
	list, err := h.pw.all()
	return slices.Clone(list), err
}

// CreateAppPassword makes a new app password named name (1 to 100 bytes
// after trimming spaces, else an error wrapping player.ErrInvalid) and
// returns it; its Password is shown to the user once.
func (h *Handler) CreateAppPassword(name string) (player.AppPassword, error) {
	return h.pw.create(name)
}

// RevokeAppPassword forgets the app password with ID id at once: the next
// request with it gets error 40. It returns
// [player.ErrAppPasswordNotFound] for an unknown ID.
func (h *Handler) RevokeAppPassword(id string) error { return h.pw.revoke(id) }
