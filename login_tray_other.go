//go:build !linux

package main

import (
	"context"
	"time"
)

// loginTrayWait is how long a launch at login waits for a tray; elsewhere
// than Linux the tray is always there.
const loginTrayWait = 0

// waitForTray reports [trayAvailable]: Windows' notification area and
// macOS's menu bar need no waiting.
func waitForTray(ctx context.Context, d time.Duration) bool { return trayAvailable() }
