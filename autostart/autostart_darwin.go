//go:build darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// Path returns the file that holds c's entry: <ID>.plist in c.Dir, or by
// default in ~/Library/LaunchAgents, which launchd reads at login.
func (c Config) Path() (string, error) {
	if err := checkID(c.ID); err != nil {
		return "", err
	}
	dir := c.Dir
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("autostart: %w", err)
		}
		dir = filepath.Join(home, "Library", "LaunchAgents")
	}
	return filepath.Join(dir, c.ID+".plist"), nil
}

// Enable writes e as a LaunchAgent labelled c.ID with RunAtLoad, which
// launchd starts at the next login. It does not load the agent now (that
// would start a second copy of a running program). It returns an
// [ErrInvalid] error for an entry a property list cannot carry, and the
// file system's error when the file cannot be written; then the agent
// there is left as it was.
func (c Config) Enable(e Entry) error {
	path, err := c.Path()
	if err != nil {
		return err
	}
	data, err := launchAgent(c.ID, e)
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// Disable removes c's LaunchAgent file; one already gone is not an error.
func (c Config) Disable() error {
	path, err := c.Path()
	if err != nil {
		return err
	}
	return removeFile(path)
}

// Enabled reports whether c's LaunchAgent file exists.
func (c Config) Enabled() (bool, error) {
	path, err := c.Path()
	if err != nil {
		return false, err
	}
	_, err = os.Stat(path)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: %w", err)
	}
	return true, nil
}
