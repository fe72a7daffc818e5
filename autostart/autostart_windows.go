//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// Registry keys under HKEY_CURRENT_USER.
const (
	// runKey holds a value per program started at login, its command line.
	runKey = `Software\Microsoft\Windows\CurrentVersion\Run`
	// approvedKey holds what Task Manager's Startup tab turned off.
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
)

// Path returns where c's entry is kept: the registry value c.ID under
// HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run.
func (c Config) Path() (string, error) {
	if err := checkID(c.ID); err != nil {
		return "", err
	}
	return `HKEY_CURRENT_USER\` + runKey + `\` + c.ID, nil
}

// Enable sets the Run value c.ID to e.Exec as a quoted command line, and
// removes a mark of Task Manager's that turned it off, so that Windows
// starts it at the next login. It returns an [ErrInvalid] error for a
// command line that cannot be quoted, and the registry's error otherwise.
func (c Config) Enable(e Entry) error {
	if err := checkID(c.ID); err != nil {
		return err
	}
	if err := checkEntry(e); err != nil {
		return err
	}
	line, err := windowsCommandLine(e.Exec)
	if err != nil {
		return err
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("autostart: open Run key: %w", err)
	}
	defer k.Close()
	if err := k.SetStringValue(c.ID, line); err != nil {
		return fmt.Errorf("autostart: set Run value: %w", err)
	}
	return deleteValue(approvedKey, c.ID)
}

// Disable deletes the Run value c.ID; one already gone is not an error.
func (c Config) Disable() error {
	if err := checkID(c.ID); err != nil {
		return err
	}
	return deleteValue(runKey, c.ID)
}

// Enabled reports whether the Run value c.ID exists and Task Manager has
// not turned it off.
func (c Config) Enabled() (bool, error) {
	if err := checkID(c.ID); err != nil {
		return false, err
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: open Run key: %w", err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue(c.ID); errors.Is(err, registry.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("autostart: read Run value: %w", err)
	}
	a, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return true, nil // no key: nothing turned off
	}
	defer a.Close()
	data, _, err := a.GetBinaryValue(c.ID)
	if err != nil {
		return true, nil
	}
	return startupApproved(data), nil
}

// deleteValue deletes the value name under HKEY_CURRENT_USER\key; a key
// or value already gone is not an error.
func deleteValue(key, name string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("autostart: open %s: %w", key, err)
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("autostart: delete %s\\%s: %w", key, name, err)
	}
	return nil
}
