//go:build !unix && !windows

package autostart

import (
	"errors"
	"fmt"
)

// Path returns an error wrapping [errors.ErrUnsupported]: this platform
// has no start-at-login entry this package knows.
func (c Config) Path() (string, error) {
	return "", fmt.Errorf("autostart: %w", errors.ErrUnsupported)
}

// Enable returns an error wrapping [errors.ErrUnsupported].
func (c Config) Enable(e Entry) error {
	return fmt.Errorf("autostart: %w", errors.ErrUnsupported)
}

// Disable returns an error wrapping [errors.ErrUnsupported].
func (c Config) Disable() error {
	return fmt.Errorf("autostart: %w", errors.ErrUnsupported)
}

// Enabled returns false and an error wrapping [errors.ErrUnsupported].
func (c Config) Enabled() (bool, error) {
	return false, fmt.Errorf("autostart: %w", errors.ErrUnsupported)
}
