package player

import (
	"errors"
	"time"
)

// AppPassword is a password made for one app that speaks the Subsonic API
// (Symfonium, DSub…), so the app can log in without the pairing key. The
// password itself is kept, not a hash of it: the Subsonic token form of
// login sends md5(password + salt) with a salt of the app's choosing, which
// the server can only check by computing it from the password. Each
// password is random and used nowhere else, so keeping it risks only this
// library, and revoking it ends that risk.
type AppPassword struct {
	// ID is short, URL-safe and unique among app passwords.
	ID string `json:"id"`
	// Name says which app and device it is for, e.g. "Symfonium on Pixel".
	Name string `json:"name"`
	// Password is the secret the app sends; it doubles as the app's API
	// key (the OpenSubsonic apiKeyAuthentication extension).
	Password string `json:"-"`
	// Created is when it was made.
	Created time.Time `json:"created"`
}

// ErrAppPasswordNotFound is returned when no app password has the given ID.
var ErrAppPasswordNotFound = errors.New("app password not found")

// AppPasswordStore keeps app passwords between runs. player/store's
// SQLiteIndex implements it. Implementations are safe for concurrent use.
type AppPasswordStore interface {
	// AppPasswords returns every app password, oldest first.
	AppPasswords() ([]AppPassword, error)
	// AddAppPassword keeps p; an error when its ID is taken.
	AddAppPassword(p AppPassword) error
	// RevokeAppPassword forgets the app password with the given ID, or
	// returns [ErrAppPasswordNotFound].
	RevokeAppPassword(id string) error
}
