//go:build unix && !darwin

package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Path returns the file that holds c's entry: <ID>.desktop in c.Dir, or
// by default in $XDG_CONFIG_HOME/autostart, where XDG_CONFIG_HOME falls
// back to ~/.config when it is unset, empty or relative (XDG Base
// Directory Specification 0.8).
func (c Config) Path() (string, error) {
	if err := checkID(c.ID); err != nil {
		return "", err
	}
	dir := c.Dir
	if dir == "" {
		base := os.Getenv("XDG_CONFIG_HOME")
		if !filepath.IsAbs(base) {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("autostart: %w", err)
			}
			base = filepath.Join(home, ".config")
		}
		dir = filepath.Join(base, "autostart")
	}
	return filepath.Join(dir, c.ID+".desktop"), nil
}

// Enable writes e as c's XDG autostart entry, replacing any entry there
// (also one disabled with Hidden=true), so that the session starts e.Exec
// at the next login. It returns an [ErrInvalid] error for an entry the
// format cannot carry, and the file system's error when the file cannot
// be written; then the entry there is left as it was.
func (c Config) Enable(e Entry) error {
	path, err := c.Path()
	if err != nil {
		return err
	}
	data, err := desktopEntry(e)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// Disable removes c's autostart entry; an entry already gone is not an
// error.
func (c Config) Disable() error {
	path, err := c.Path()
	if err != nil {
		return err
	}
	return removeFile(path)
}

// Enabled reports whether c's autostart entry exists and is not turned
// off (Hidden=true, or X-GNOME-Autostart-enabled=false as GNOME's
// settings write). A missing entry is (false, nil).
func (c Config) Enabled() (bool, error) {
	path, err := c.Path()
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: %w", err)
	}
	return desktopEnabled(data), nil
}
