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
// error. When an entry of the same name in a system folder
// ($XDG_CONFIG_DIRS/autostart, default /etc/xdg/autostart) would still
// start it, Disable writes the user's own entry with Hidden=true, which
// the autostart spec says hides it (only when c.Dir is "").
func (c Config) Disable() error {
	path, err := c.Path()
	if err != nil {
		return err
	}
	if err := removeFile(path); err != nil {
		return err
	}
	if on, err := c.Enabled(); err != nil || !on {
		return err
	}
	return writeFile(path, []byte("[Desktop Entry]\nType=Application\nName="+escapeString(c.ID)+"\nHidden=true\n"))
}

// Enabled reports whether c's autostart entry exists and is not turned
// off (Hidden=true, or X-GNOME-Autostart-enabled=false as GNOME's
// settings write). The user's own entry decides; without one (and when
// c.Dir is "") the first in the system folders does, as for a session.
// No entry is (false, nil).
func (c Config) Enabled() (bool, error) {
	path, err := c.Path()
	if err != nil {
		return false, err
	}
	paths := []string{path}
	if c.Dir == "" {
		paths = append(paths, systemEntries(c.ID)...)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("autostart: %w", err)
		}
		return desktopEnabled(data), nil
	}
	return false, nil
}

// systemEntries returns where the system's autostart entries named id
// would be, most important first: <dir>/autostart/<id>.desktop for each
// absolute dir of $XDG_CONFIG_DIRS, or /etc/xdg when it names none (XDG
// Base Directory Specification 0.8).
func systemEntries(id string) []string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("XDG_CONFIG_DIRS")) {
		if filepath.IsAbs(d) {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		dirs = []string{"/etc/xdg"}
	}
	paths := make([]string, len(dirs))
	for i, d := range dirs {
		paths[i] = filepath.Join(d, "autostart", id+".desktop")
	}
	return paths
}
