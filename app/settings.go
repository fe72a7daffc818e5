package app

import "fyne.io/fyne/v2"

// Preference keys. main reads them through [LoadSettings] to configure the
// web server before the window exists; the window writes them when they
// change.
const (
	// PrefAccessKey holds the access key that paired devices present. It
	// is kept across runs so that phones stay paired after a restart.
	PrefAccessKey = "accessKey"
	// PrefAllowLAN holds whether other devices on the network may connect
	// (default true).
	PrefAllowLAN = "allowLAN"
	// PrefRequireKeyOnLoopback holds whether this computer's own browser
	// needs the access key too (default false).
	PrefRequireKeyOnLoopback = "requireKeyOnLoopback"
	// PrefUploadsFromLAN holds whether other devices on the network may
	// upload files into the library (default false; this computer always
	// may).
	PrefUploadsFromLAN = "uploadsFromLAN"
)

// prefLibraryFolder is the preference key under which the folder chosen
// last is remembered between runs.
const prefLibraryFolder = "libraryFolder"

// Settings are the server settings kept in the app's preferences.
type Settings struct {
	// AccessKey is the key paired devices present; never "" from
	// [LoadSettings].
	AccessKey string
	// AllowLAN is whether other devices on the network may connect.
	AllowLAN bool
	// RequireKeyOnLoopback is whether this computer needs the key too.
	RequireKeyOnLoopback bool
	// UploadsFromLAN is whether other devices may upload into the library.
	UploadsFromLAN bool
}

// LoadSettings reads the server settings from p. On the first run there is
// no access key yet: it makes one with newKey and stores it, so that later
// runs (and the phones paired with it) keep the same key.
func LoadSettings(p fyne.Preferences, newKey func() string) Settings {
	key := p.String(PrefAccessKey)
	if key == "" {
		key = newKey()
		p.SetString(PrefAccessKey, key)
	}
	return Settings{
		AccessKey:            key,
		AllowLAN:             p.BoolWithFallback(PrefAllowLAN, true),
		RequireKeyOnLoopback: p.Bool(PrefRequireKeyOnLoopback),
		UploadsFromLAN:       p.Bool(PrefUploadsFromLAN),
	}
}
